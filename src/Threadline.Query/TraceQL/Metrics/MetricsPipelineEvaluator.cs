using Threadline.Query.TraceQL.Ast;
using Threadline.Storage;

namespace Threadline.Query.TraceQL.Metrics;

/// <summary>
/// Evaluates one <c>selection | function(...) by (...)</c> over a grid: from the ingest-time
/// span metrics when the query allows it and the store has them for the range, else by
/// scanning the selected spans.
/// </summary>
internal static class MetricsPipelineEvaluator
{
    internal sealed record Outcome(List<MetricsSeriesBuilder.Draft> Drafts, bool FromIngestMetrics, long Traces, long Spans);

    public static MetricsQuery Compile(MetricsPipeline pipeline)
    {
        if (pipeline.First is not MetricsAggregate aggregate)
            throw new InvalidOperationException("compare() is evaluated by CompareEvaluator.");
        // The parser has checked arity, fields and quantile ranges.
        var field = aggregate.Field is null ? null : new MetricsField(aggregate.Field);
        return new MetricsQuery
        {
            Function = aggregate.Function,
            Field = field,
            Quantiles = aggregate.Quantiles,
            By = [.. aggregate.By.Select(b => new MetricsField(b))],
            Selection = pipeline.Selection,
            IngestFilter = IngestFilter.From(pipeline.Selection),
        };
    }

    public static async ValueTask<Outcome> EvaluateAsync(ITraceStore store, MetricsQuery query, StepGrid grid, TenantId tenant,
        TraceQLOptions options, int maxExemplars, CancellationToken cancellationToken)
    {
        var table = new SeriesTable(query, grid, options.MaxSeries, maxExemplars);
        if (query.IngestEligible && IngestMetricsPath.FitsGrid(grid)
            && await IngestMetricsPath.TryFillAsync(store, query, grid, tenant, table, cancellationToken).ConfigureAwait(false))
        {
            return new Outcome(MetricsSeriesBuilder.Drafts(query, table, grid, options.MaxSeries), true, 0, 0);
        }

        // The ingest attempt may have made series before finding nothing usable: start afresh.
        table = new SeriesTable(query, grid, options.MaxSeries, maxExemplars);
        var (traces, spans) = await ScanMetricsPath.FillAsync(store, query, grid, tenant, options, table, cancellationToken).ConfigureAwait(false);
        return new Outcome(MetricsSeriesBuilder.Drafts(query, table, grid, options.MaxSeries), false, traces, spans);
    }
}
