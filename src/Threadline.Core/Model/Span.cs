namespace Threadline.Core.Model;

/// <summary>A timestamped annotation on a span.</summary>
public sealed record SpanEvent(ulong TimeUnixNano, string Name, KeyValue[] Attributes, uint DroppedAttributesCount = 0);

/// <summary>A reference from a span to a span in the same or another trace (batch fan-in, queue consumers).</summary>
public sealed record SpanLink(TraceId TraceId, SpanId SpanId, string TraceState, KeyValue[] Attributes, uint DroppedAttributesCount = 0, uint Flags = 0);

/// <summary>
/// One operation in a trace. Immutable once built; shares its <see cref="Resource"/> and
/// <see cref="Scope"/> with the other spans of the same batch.
/// </summary>
public sealed class Span
{
    public required TraceId TraceId { get; init; }
    public required SpanId SpanId { get; init; }

    /// <summary><see cref="SpanId.Empty"/> for a root span.</summary>
    public SpanId ParentSpanId { get; init; }

    /// <summary>W3C tracestate header value, as received.</summary>
    public string TraceState { get; init; } = string.Empty;

    /// <summary>OTLP span flags: the low byte holds the W3C trace flags; bits 8-9 say whether the parent is remote.</summary>
    public uint Flags { get; init; }

    public required string Name { get; init; }
    public SpanKind Kind { get; init; }
    public ulong StartTimeUnixNano { get; init; }
    public ulong EndTimeUnixNano { get; init; }
    public KeyValue[] Attributes { get; init; } = [];
    public uint DroppedAttributesCount { get; init; }
    public SpanEvent[] Events { get; init; } = [];
    public uint DroppedEventsCount { get; init; }
    public SpanLink[] Links { get; init; } = [];
    public uint DroppedLinksCount { get; init; }
    public SpanStatus Status { get; init; } = SpanStatus.Unset;
    public Resource Resource { get; init; } = Resource.Empty;
    public InstrumentationScope Scope { get; init; } = InstrumentationScope.Empty;

    /// <summary>End minus start, or zero when the end precedes the start.</summary>
    public ulong DurationNanos => EndTimeUnixNano > StartTimeUnixNano ? EndTimeUnixNano - StartTimeUnixNano : 0;

    public bool IsRoot => ParentSpanId.IsEmpty;

    public string ServiceName => Resource.ServiceName;

    /// <summary>The first attribute with this key, looking at the span then its resource.</summary>
    public bool TryGetAttribute(string key, out AttributeValue value)
    {
        foreach (var attribute in Attributes)
        {
            if (attribute.Key == key)
            {
                value = attribute.Value;
                return true;
            }
        }
        foreach (var attribute in Resource.Attributes)
        {
            if (attribute.Key == key)
            {
                value = attribute.Value;
                return true;
            }
        }
        value = default;
        return false;
    }
}
