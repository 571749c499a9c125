using Threadline.Query.TraceQL.Ast;
using Threadline.Storage;

namespace Threadline.Query.Analysis;

/// <summary>What a triage compares: a selection of spans against a baseline, in a time range.</summary>
public sealed record TriageRequest
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 1000;

    public required TriageSelection Selection { get; init; }

    /// <summary>Only spans of this service; null for every service.</summary>
    public string? Service { get; init; }

    /// <summary>Only spans with this name; null for every name.</summary>
    public string? Operation { get; init; }

    public TriageBaseline Baseline { get; init; } = TriageBaseline.Rest;

    /// <summary>Spans starting in [start, end) are the selection's (and, for <see cref="TriageBaseline.Rest"/>, the baseline's).</summary>
    public required ulong StartUnixNano { get; init; }

    /// <inheritdoc cref="StartUnixNano"/>
    public required ulong EndUnixNano { get; init; }

    /// <summary>Most attribute values answered.</summary>
    public int Limit { get; init; } = DefaultLimit;

    public TenantId Tenant { get; init; }
}

/// <summary>What the selection is compared with.</summary>
public enum TriageBaseline : byte
{
    /// <summary>The other spans of the same service and operation in the same range.</summary>
    Rest = 0,

    /// <summary>The same selection over the range of the same length just before.</summary>
    Previous,
}

/// <summary>Which spans are selected: error spans, slow spans, or those a TraceQL spanset filter keeps.</summary>
public abstract record TriageSelection
{
    private TriageSelection()
    {
    }

    /// <summary>Spans with status error.</summary>
    public sealed record Errors : TriageSelection;

    /// <summary>Spans at least this long.</summary>
    public sealed record Slow(ulong MinDurationNanos) : TriageSelection;

    /// <summary>Spans one spanset filter (<c>{ … }</c>) keeps, evaluated span by span.</summary>
    public sealed record Filter(string Query, SpansetFilter Spanset) : TriageSelection;
}
