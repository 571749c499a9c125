using Threadline.Query.TraceQL.Metrics;
using Threadline.Storage;

namespace Threadline.Query.TraceQL;

/// <summary>
/// The TraceQL engine over the store contract: parses, plans the fetch, evaluates exactly.
/// Searches are answered here; metrics queries by <see cref="TraceQLMetricsEvaluator"/>.
/// </summary>
public sealed partial class TraceQLEngine : ITraceQLEngine
{
    private readonly ITraceStore _store;
    private readonly TraceQLOptions _options;
    private readonly TimeProvider _time;
    private readonly TraceQLMetricsEvaluator _metrics;

    /// <exception cref="ArgumentException">The options are invalid; the message names each problem.</exception>
    public TraceQLEngine(ITraceStore store, TraceQLOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _store = store;
        _options = options;
        _time = time ?? TimeProvider.System;
        _metrics = new TraceQLMetricsEvaluator(store, options, _time);
    }

    public ValueTask<TraceQLSearchResult> SearchAsync(TraceQLSearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        throw new NotImplementedException("TraceQL search is being built on branch traceql.");
    }

    public ValueTask<TraceQLMetricsResult> QueryRangeAsync(TraceQLMetricsRequest request, CancellationToken cancellationToken) =>
        _metrics.QueryRangeAsync(request, cancellationToken);

    public ValueTask<TraceQLMetricsResult> QueryInstantAsync(TraceQLMetricsRequest request, CancellationToken cancellationToken) =>
        _metrics.QueryInstantAsync(request, cancellationToken);
}
