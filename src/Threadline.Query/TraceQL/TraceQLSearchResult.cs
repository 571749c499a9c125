using Threadline.Core.Model;

namespace Threadline.Query.TraceQL;

/// <summary>The answer to a <see cref="TraceQLSearchRequest"/>.</summary>
public sealed record TraceQLSearchResult
{
    /// <summary>The matching traces, newest first (by trace start).</summary>
    public required IReadOnlyList<TraceQLTrace> Traces { get; init; }

    public required TraceQLStatistics Statistics { get; init; }
}

/// <summary>How much work a query did, as Tempo reports it in its search metrics.</summary>
public sealed record TraceQLStatistics
{
    public static TraceQLStatistics Empty { get; } = new();

    public long InspectedTraces { get; init; }
    public long InspectedSpans { get; init; }

    /// <summary>Bytes read from storage; 0 when the engine does not know.</summary>
    public long InspectedBytes { get; init; }
}

/// <summary>One matching trace with its matching spansets.</summary>
public sealed record TraceQLTrace
{
    public required TraceId TraceId { get; init; }
    public required string RootServiceName { get; init; }
    public required string RootSpanName { get; init; }
    public required ulong StartUnixNano { get; init; }
    public required ulong DurationNanos { get; init; }
    public required IReadOnlyList<TraceQLSpanset> Spansets { get; init; }
}

/// <summary>A set of spans of one trace that the query produced.</summary>
public sealed record TraceQLSpanset
{
    /// <summary>At most the request's spans-per-spanset, newest first (by start), as Tempo lists them.</summary>
    public required IReadOnlyList<TraceQLSpan> Spans { get; init; }

    /// <summary>How many spans the spanset holds in all.</summary>
    public required int Matched { get; init; }

    /// <summary>The spanset's <c>by()</c> values and aggregate results, named as Tempo names them (e.g. <c>by(resource.service.name)</c>, <c>count()</c>).</summary>
    public IReadOnlyList<TraceQLAttribute> Attributes { get; init; } = [];
}

/// <summary>A span in a spanset: its identity and the attributes the query referenced or selected.</summary>
public sealed record TraceQLSpan
{
    public required SpanId SpanId { get; init; }
    public required string Name { get; init; }
    public required ulong StartUnixNano { get; init; }
    public required ulong DurationNanos { get; init; }

    /// <summary>What the query referenced or <c>select()</c>ed, named as Tempo names them (<c>span.http.method</c>, <c>resource.service.name</c>, <c>status</c>).</summary>
    public IReadOnlyList<TraceQLAttribute> Attributes { get; init; } = [];
}

/// <summary>A named value in a result.</summary>
public readonly record struct TraceQLAttribute(string Name, AttributeValue Value);
