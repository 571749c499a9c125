using Threadline.Query.TraceQL.Ast;
using Threadline.Storage;

namespace Threadline.Query.TraceQL.Metrics;

/// <summary>
/// Evaluates TraceQL metrics queries as Tempo does: <c>rate</c>, <c>count_over_time</c>,
/// <c>min/max/sum/avg_over_time</c>, <c>quantile_over_time</c>, <c>histogram_over_time</c>,
/// <c>compare</c>, with <c>by()</c>, <c>topk</c>/<c>bottomk</c>, sample filters and arithmetic
/// between series. A pipeline is answered from the span metrics kept at ingest when its filter,
/// grouping, function and steps allow (then the cost does not grow with the number of spans),
/// else by scanning the spans its filter selects. Every query is bounded in range, steps and
/// series, and refused with a <see cref="TraceQLQueryException"/> naming the bound it passes.
/// </summary>
public sealed class TraceQLMetricsEvaluator
{
    /// <summary>The range evaluated when a request gives no start (Tempo's and Grafana's default).</summary>
    private static readonly TimeSpan DefaultRange = TimeSpan.FromHours(1);

    private const ulong NanosPerMinute = 60_000_000_000;

    // Exemplars per series when a with(exemplars = n) hint asks for more than this.
    private const int MaxExemplarsPerSeries = 100;

    private readonly ITraceStore _store;
    private readonly TraceQLOptions _options;
    private readonly TimeProvider _time;

    public TraceQLMetricsEvaluator(ITraceStore store, TraceQLOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _options = options;
        _time = time;
    }

    public ValueTask<TraceQLMetricsResult> QueryRangeAsync(TraceQLMetricsRequest request, CancellationToken cancellationToken) =>
        EvaluateAsync(request, instant: false, cancellationToken);

    public ValueTask<TraceQLMetricsResult> QueryInstantAsync(TraceQLMetricsRequest request, CancellationToken cancellationToken) =>
        EvaluateAsync(request, instant: true, cancellationToken);

    private async ValueTask<TraceQLMetricsResult> EvaluateAsync(TraceQLMetricsRequest request, bool instant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = TraceQLParser.Parse(request.Query, _options);
        if (query.Metrics is not { } expression)
        {
            throw new TraceQLQueryException(
                $"\"{request.Query}\" is a search, not a metrics query: add a metrics function, e.g. {request.Query} | rate().");
        }

        var compiled = CompiledExpression.Compile(expression);
        var (start, end) = QueryRange.Resolve(request.StartUnixNano, request.EndUnixNano, _time, DefaultRange, _options.MaxMetricsRange, nameof(_options.MaxMetricsRange));
        var grid = instant
            ? StepGrid.ForInstant(start, end)
            : StepGrid.ForRange(start, end, Step(request, compiled, start, end), _options.MaxSamplesPerSeries);
        var run = new Run(compiled, grid, request.Tenant, Exemplars(request, query), cancellationToken);
        var drafts = await EvaluateAsync(expression, run).ConfigureAwait(false);
        return new TraceQLMetricsResult
        {
            Series = MetricsSeriesBuilder.Freeze(drafts, grid),
            Statistics = new TraceQLStatistics { InspectedTraces = run.Traces, InspectedSpans = run.Spans },
            AnsweredFromIngestMetrics = run.Pipelines > 0 && run.FromIngest == run.Pipelines,
        };
    }

    private async ValueTask<List<MetricsSeriesBuilder.Draft>> EvaluateAsync(MetricsExpression expression, Run run)
    {
        switch (expression)
        {
            case MetricsPipeline pipeline:
                var first = await EvaluateFirstStageAsync(pipeline, run).ConfigureAwait(false);
                return ApplySecondStages(first, pipeline.SecondStages, run.Grid);
            case MetricsWithSecondStages staged:
                return ApplySecondStages(await EvaluateAsync(staged.Inner, run).ConfigureAwait(false), staged.SecondStages, run.Grid);
            case MetricsMath math:
                var left = await EvaluateAsync(math.Left, run).ConfigureAwait(false);
                var right = await EvaluateAsync(math.Right, run).ConfigureAwait(false);
                return SeriesMath.Combine(math.Operator, left, right);
            case MetricsScalarMath scalar:
                return SeriesMath.Scale(scalar.Operator, await EvaluateAsync(scalar.Series, run).ConfigureAwait(false), scalar.Scalar, scalar.ScalarOnLeft);
            default:
                throw new TraceQLQueryException($"Unsupported metrics expression: {expression}.");
        }
    }

    private async ValueTask<List<MetricsSeriesBuilder.Draft>> EvaluateFirstStageAsync(MetricsPipeline pipeline, Run run)
    {
        run.Pipelines++;
        if (pipeline.First is MetricsCompare compare)
        {
            var result = await CompareEvaluator.EvaluateAsync(_store, compare, pipeline.Selection, run.Grid, run.Tenant, _options, run.CancellationToken).ConfigureAwait(false);
            run.Traces += result.Traces;
            run.Spans += result.Spans;
            return result.Drafts;
        }
        var query = run.Compiled.Pipelines[pipeline];
        var outcome = await MetricsPipelineEvaluator.EvaluateAsync(_store, query, run.Grid, run.Tenant, _options, run.Exemplars, run.CancellationToken).ConfigureAwait(false);
        if (outcome.FromIngestMetrics) run.FromIngest++;
        run.Traces += outcome.Traces;
        run.Spans += outcome.Spans;
        return outcome.Drafts;
    }

    private static List<MetricsSeriesBuilder.Draft> ApplySecondStages(List<MetricsSeriesBuilder.Draft> series, IReadOnlyList<MetricsSecondStage> stages, StepGrid grid)
    {
        foreach (var stage in stages)
        {
            series = stage switch
            {
                TopK top => SecondStageEvaluator.Apply(top: true, top.K, series, grid.Count),
                BottomK bottom => SecondStageEvaluator.Apply(top: false, bottom.K, series, grid.Count),
                MetricsFilter filter => SeriesMath.Filter(filter, series),
                _ => throw new TraceQLQueryException($"Unsupported second stage: {stage}."),
            };
        }
        return series;
    }

    // Tempo's default when none is given; rounded up to whole minutes when the ingest-time span
    // metrics can answer the whole query, so that a default step does not force a scan.
    private static ulong Step(TraceQLMetricsRequest request, CompiledExpression compiled, ulong start, ulong end)
    {
        if (request.StepNanos != 0) return request.StepNanos;
        var step = StepGrid.DefaultStep(start, end);
        return compiled.IngestEligible ? (step + NanosPerMinute - 1) / NanosPerMinute * NanosPerMinute : step;
    }

    // The pipelines of an expression compiled up front, so that every field is checked before
    // any work starts and the step can depend on whether the ingest path answers them all.
    private sealed class CompiledExpression
    {
        public Dictionary<MetricsPipeline, MetricsQuery> Pipelines { get; } = [];
        public bool HasCompare { get; private set; }

        public bool IngestEligible => !HasCompare && Pipelines.Values.All(q => q.IngestEligible);

        public static CompiledExpression Compile(MetricsExpression expression)
        {
            var compiled = new CompiledExpression();
            compiled.Add(expression);
            return compiled;
        }

        private void Add(MetricsExpression expression)
        {
            switch (expression)
            {
                case MetricsPipeline { First: MetricsCompare }:
                    HasCompare = true;
                    break;
                case MetricsPipeline pipeline:
                    Pipelines.TryAdd(pipeline, MetricsPipelineEvaluator.Compile(pipeline));
                    break;
                case MetricsWithSecondStages staged:
                    Add(staged.Inner);
                    break;
                case MetricsMath math:
                    Add(math.Left);
                    Add(math.Right);
                    break;
                case MetricsScalarMath scalar:
                    Add(scalar.Series);
                    break;
            }
        }
    }

    private static int Exemplars(TraceQLMetricsRequest request, TraceQLQuery query)
    {
        var wanted = request.MaxExemplars;
        if (query.Hint("exemplars") is { Value: { Type: Storage.Fetch.StaticType.Int } hint }) wanted = (int)Math.Clamp(hint.AsInt(), 0, MaxExemplarsPerSeries);
        return Math.Clamp(wanted, 0, MaxExemplarsPerSeries);
    }

    // What one evaluation has done so far, across the pipelines of an expression.
    private sealed class Run(CompiledExpression compiled, StepGrid grid, TenantId tenant, int exemplars, CancellationToken cancellationToken)
    {
        public CompiledExpression Compiled { get; } = compiled;
        public StepGrid Grid { get; } = grid;
        public TenantId Tenant { get; } = tenant;
        public int Exemplars { get; } = exemplars;
        public CancellationToken CancellationToken { get; } = cancellationToken;
        public int Pipelines { get; set; }
        public int FromIngest { get; set; }
        public long Traces { get; set; }
        public long Spans { get; set; }
    }
}
