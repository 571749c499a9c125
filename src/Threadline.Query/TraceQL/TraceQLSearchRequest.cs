using Threadline.Storage;

namespace Threadline.Query.TraceQL;

/// <summary>A TraceQL search, as Tempo's <c>/api/search</c> takes it.</summary>
public sealed record TraceQLSearchRequest
{
    /// <summary>Traces returned when the caller gives no limit (Tempo's default).</summary>
    public const int DefaultLimit = 20;

    /// <summary>Spans shown per spanset when the caller gives none (Tempo's default).</summary>
    public const int DefaultSpansPerSpanset = 3;

    /// <summary>The TraceQL text, e.g. <c>{ span.http.status_code &gt;= 500 }</c>.</summary>
    public required string Query { get; init; }

    /// <summary>Earliest span start searched (Unix ns); 0 for the engine's widest allowed range ending at <see cref="EndUnixNano"/>.</summary>
    public ulong StartUnixNano { get; init; }

    /// <summary>Span starts before this are searched (Unix ns); 0 for now.</summary>
    public ulong EndUnixNano { get; init; }

    /// <summary>Most traces returned.</summary>
    public int Limit { get; init; } = DefaultLimit;

    /// <summary>Most spans listed per spanset (Tempo's <c>spss</c>); the matched count is always whole.</summary>
    public int SpansPerSpanset { get; init; } = DefaultSpansPerSpanset;

    public TenantId Tenant { get; init; }
}
