using Threadline.Query.TraceQL.Metrics;
using Threadline.Query.TraceQL.Search;
using Threadline.Storage;

namespace Threadline.Query.TraceQL;

/// <summary>
/// The TraceQL engine over the store contract: parses, plans the fetch, evaluates exactly.
/// Searches are answered here; metrics queries by <see cref="TraceQLMetricsEvaluator"/>.
/// </summary>
public sealed class TraceQLEngine : ITraceQLEngine
{
    private readonly TraceQLSearcher _search;
    private readonly TraceQLMetricsEvaluator _metrics;

    /// <exception cref="ArgumentException">The options are invalid; the message names each problem.</exception>
    public TraceQLEngine(ITraceStore store, TraceQLOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        time ??= TimeProvider.System;
        _search = new TraceQLSearcher(store, options, time);
        _metrics = new TraceQLMetricsEvaluator(store, options, time);
    }

    public ValueTask<TraceQLSearchResult> SearchAsync(TraceQLSearchRequest request, CancellationToken cancellationToken) =>
        _search.SearchAsync(request, cancellationToken);

    public ValueTask<TraceQLMetricsResult> QueryRangeAsync(TraceQLMetricsRequest request, CancellationToken cancellationToken) =>
        _metrics.QueryRangeAsync(request, cancellationToken);

    public ValueTask<TraceQLMetricsResult> QueryInstantAsync(TraceQLMetricsRequest request, CancellationToken cancellationToken) =>
        _metrics.QueryInstantAsync(request, cancellationToken);
}
