using Threadline.Core.Model;

namespace Threadline.Storage;

/// <summary>
/// Search filters pushed down to an engine. Span-level filters (service, span name, kind, status,
/// duration, attributes) must all hold on one span of a trace for the trace to match, as in Jaeger.
/// Unset filters match everything.
/// </summary>
public sealed record TraceQuery
{
    /// <summary>Default of <see cref="Limit"/>.</summary>
    public const int DefaultLimit = 20;

    /// <summary>Upper bound of <see cref="Limit"/>; larger values are clamped to it.</summary>
    public const int MaxLimit = 10_000;

    /// <summary>Spans starting at or after this time (Unix ns) match; 0 means no lower bound.</summary>
    public ulong StartTimeUnixNano { get; init; }

    /// <summary>Spans starting at or before this time (Unix ns) match; 0 means no upper bound.</summary>
    public ulong EndTimeUnixNano { get; init; }

    public string? ServiceName { get; init; }
    public string? SpanName { get; init; }
    public SpanKind? Kind { get; init; }
    public StatusCode? Status { get; init; }

    /// <summary>Span duration at least this (ns).</summary>
    public ulong? MinDurationNanos { get; init; }

    /// <summary>Span duration at most this (ns).</summary>
    public ulong? MaxDurationNanos { get; init; }

    /// <summary>
    /// Attribute equality: the span (or its resource) has the key and the value's text form
    /// (<see cref="AttributeValue.ToString"/>) equals the given text.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Attributes { get; init; } = [];

    public int Limit { get; init; } = DefaultLimit;

    /// <summary>
    /// <see cref="Limit"/> clamped to 1..<see cref="MaxLimit"/>, so that every engine treats a
    /// zero, negative or huge limit from a request the same way.
    /// </summary>
    public int EffectiveLimit => Math.Clamp(Limit, 1, MaxLimit);
}

/// <summary>One search hit: enough to list the trace without loading it.</summary>
public sealed record TraceSummary
{
    public required TraceId TraceId { get; init; }

    /// <summary>Service and name of the root span; of the earliest span when the root has not arrived.</summary>
    public required string RootServiceName { get; init; }
    public required string RootSpanName { get; init; }

    public required ulong StartTimeUnixNano { get; init; }

    /// <summary>Latest span end minus earliest span start.</summary>
    public required ulong DurationNanos { get; init; }
    public required int SpanCount { get; init; }
    public required int ErrorCount { get; init; }

    /// <summary>Span counts per service, sorted by service name.</summary>
    public required IReadOnlyList<ServiceSpanCount> Services { get; init; }
}

public readonly record struct ServiceSpanCount(string ServiceName, int SpanCount, int ErrorCount);
