using Threadline.Storage;

namespace Threadline.Query.TraceQL.Metrics;

/// <summary>
/// Evaluates TraceQL metrics queries (rate, *_over_time, quantiles, histograms, topk/bottomk,
/// compare). Owned by branch tqmetrics; this placeholder only fixes the shape the engine calls.
/// </summary>
public sealed class TraceQLMetricsEvaluator
{
    public TraceQLMetricsEvaluator(ITraceStore store, TraceQLOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
    }

    public ValueTask<TraceQLMetricsResult> QueryRangeAsync(TraceQLMetricsRequest request, CancellationToken cancellationToken) =>
        throw new NotImplementedException("TraceQL metrics are being built on branch tqmetrics.");

    public ValueTask<TraceQLMetricsResult> QueryInstantAsync(TraceQLMetricsRequest request, CancellationToken cancellationToken) =>
        throw new NotImplementedException("TraceQL metrics are being built on branch tqmetrics.");
}
