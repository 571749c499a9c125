namespace Threadline.Protocol.Tempo;

/// <summary>
/// Tempo's <c>tempopb.SearchRequest</c>, from <c>/api/search</c>'s parameters or the streaming Search
/// call: a TraceQL query, or (older clients) tags and durations; start and end in Unix seconds.
/// </summary>
public sealed record TempoSearchRequest
{
    /// <summary>Legacy tag search, <c>key=value</c> pairs in the order given; empty when <see cref="Query"/> is used.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Tags { get; init; } = [];
    public uint MinDurationMs { get; init; }
    public uint MaxDurationMs { get; init; }

    /// <summary>0 for the default.</summary>
    public uint Limit { get; init; }
    public uint StartSeconds { get; init; }
    public uint EndSeconds { get; init; }
    public string Query { get; init; } = string.Empty;

    /// <summary>0 for the default.</summary>
    public uint SpansPerSpanSet { get; init; }
}

/// <summary>Tempo's <c>tempopb.SearchTagsRequest</c>: which scope (empty for all), start and end in Unix seconds.</summary>
public sealed record TempoSearchTagsRequest
{
    public string Scope { get; init; } = string.Empty;
    public string Query { get; init; } = string.Empty;
    public uint StartSeconds { get; init; }
    public uint EndSeconds { get; init; }
}

/// <summary>Tempo's <c>tempopb.SearchTagValuesRequest</c>.</summary>
public sealed record TempoSearchTagValuesRequest
{
    public required string TagName { get; init; }
    public string Query { get; init; } = string.Empty;
    public uint StartSeconds { get; init; }
    public uint EndSeconds { get; init; }

    /// <summary>0 for the default.</summary>
    public uint MaxTagValues { get; init; }
}

/// <summary>Tempo's <c>tempopb.QueryRangeRequest</c> (and, without a step, QueryInstantRequest): times in Unix nanoseconds.</summary>
public sealed record TempoQueryRangeRequest
{
    public required string Query { get; init; }
    public ulong StartUnixNano { get; init; }
    public ulong EndUnixNano { get; init; }

    /// <summary>0 lets the engine pick.</summary>
    public ulong StepNanos { get; init; }

    /// <summary>Most exemplars wanted per series.</summary>
    public uint Exemplars { get; init; }
}
