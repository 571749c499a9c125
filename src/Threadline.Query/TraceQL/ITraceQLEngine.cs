namespace Threadline.Query.TraceQL;

/// <summary>
/// Answers TraceQL: searches (spanset queries, with pipelines) and metrics queries. The one
/// entry point every API (native, Tempo, Jaeger) and the CLI use, so that they all accept the
/// same language with the same bounds.
/// </summary>
public interface ITraceQLEngine
{
    /// <summary>Traces with a spanset matching the query, newest first, limit and spans-per-spanset applied.</summary>
    /// <exception cref="TraceQLSyntaxException">The query does not parse; the exception names line, column and what was expected.</exception>
    /// <exception cref="TraceQLQueryException">The query parsed but cannot run (a type error, a bound exceeded); the message names the bound.</exception>
    ValueTask<TraceQLSearchResult> SearchAsync(TraceQLSearchRequest request, CancellationToken cancellationToken);

    /// <summary>A metrics query evaluated as a range query: one sample per step over [start, end).</summary>
    /// <exception cref="TraceQLSyntaxException">The query does not parse.</exception>
    /// <exception cref="TraceQLQueryException">The query is not a metrics query, or exceeds a bound.</exception>
    ValueTask<TraceQLMetricsResult> QueryRangeAsync(TraceQLMetricsRequest request, CancellationToken cancellationToken);

    /// <summary>A metrics query evaluated as an instant query: one sample per series for the whole [start, end).</summary>
    /// <exception cref="TraceQLSyntaxException">The query does not parse.</exception>
    /// <exception cref="TraceQLQueryException">The query is not a metrics query, or exceeds a bound.</exception>
    ValueTask<TraceQLMetricsResult> QueryInstantAsync(TraceQLMetricsRequest request, CancellationToken cancellationToken);
}
