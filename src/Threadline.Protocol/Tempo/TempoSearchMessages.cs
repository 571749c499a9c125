using Threadline.Core.Model;

namespace Threadline.Protocol.Tempo;

/// <summary>Tempo's <c>tempopb.SearchResponse</c>: what <c>/api/search</c> and the streaming Search answer.</summary>
public sealed record TempoSearchResponse(IReadOnlyList<TempoTraceSearchMetadata> Traces, TempoSearchMetrics Metrics);

/// <summary>Tempo's <c>tempopb.TraceSearchMetadata</c>: one matching trace.</summary>
public sealed record TempoTraceSearchMetadata
{
    public required TraceId TraceId { get; init; }
    public required string RootServiceName { get; init; }
    public required string RootTraceName { get; init; }
    public required ulong StartTimeUnixNano { get; init; }

    /// <summary>Whole milliseconds, as Tempo truncates them.</summary>
    public required uint DurationMs { get; init; }

    /// <summary>
    /// The matching spansets. Tempo also writes the first of them as the deprecated <c>spanSet</c>
    /// field, which older Grafana versions read; the writers do the same.
    /// </summary>
    public required IReadOnlyList<TempoSpanSet> SpanSets { get; init; }
}

/// <summary>Tempo's <c>tempopb.SpanSet</c>.</summary>
public sealed record TempoSpanSet(IReadOnlyList<TempoSpan> Spans, uint Matched, IReadOnlyList<KeyValue> Attributes);

/// <summary>Tempo's <c>tempopb.Span</c>: a matching span with the attributes the query touched.</summary>
public sealed record TempoSpan(SpanId SpanId, string Name, ulong StartTimeUnixNano, ulong DurationNanos, IReadOnlyList<KeyValue> Attributes);

/// <summary>Tempo's <c>tempopb.SearchMetrics</c> (the fields of Tempo 2.7).</summary>
public sealed record TempoSearchMetrics
{
    public static TempoSearchMetrics Empty { get; } = new();

    public uint InspectedTraces { get; init; }
    public ulong InspectedBytes { get; init; }
    public uint TotalBlocks { get; init; }
    public uint CompletedJobs { get; init; }
    public uint TotalJobs { get; init; }
    public ulong TotalBlockBytes { get; init; }
    public ulong InspectedSpans { get; init; }
}
