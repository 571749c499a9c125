using Threadline.Core.Model;

namespace Threadline.Storage.Fetch;

/// <summary>
/// The matching spans of one trace, with the trace-level fields a query needs without loading
/// the whole trace (after Tempo's <c>Spanset</c>).
/// </summary>
public sealed record Spanset
{
    public required TraceId TraceId { get; init; }

    /// <summary>Service and name of the root span; of the earliest span when the root has not arrived.</summary>
    public required string RootServiceName { get; init; }
    public required string RootSpanName { get; init; }

    /// <summary>Earliest start of any stored span of the trace, in range or not (Unix ns).</summary>
    public required ulong TraceStartUnixNano { get; init; }

    /// <summary>Latest end of any stored span of the trace (Unix ns).</summary>
    public required ulong TraceEndUnixNano { get; init; }

    /// <summary>The matching spans, ordered by start time.</summary>
    public required IReadOnlyList<SpansetSpan> Spans { get; init; }
}

/// <summary>
/// One matching span: its intrinsic fields and the attributes the request's conditions named
/// (absent ones are left out).
/// </summary>
public sealed record SpansetSpan
{
    public required SpanId SpanId { get; init; }
    public required SpanId ParentSpanId { get; init; }
    public required string Name { get; init; }
    public required string ServiceName { get; init; }
    public required SpanKind Kind { get; init; }
    public required SpanStatus Status { get; init; }
    public required ulong StartTimeUnixNano { get; init; }
    public required ulong DurationNanos { get; init; }
    public required IReadOnlyList<FetchedAttribute> Attributes { get; init; }
}

/// <summary>An attribute value fetched for a condition, under the condition's scope and name.</summary>
public readonly record struct FetchedAttribute(ConditionScope Scope, string Name, AttributeValue Value);
