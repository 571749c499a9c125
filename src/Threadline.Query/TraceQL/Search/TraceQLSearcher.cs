using Threadline.Core.Model;
using Threadline.Query.TraceQL.Ast;
using Threadline.Query.TraceQL.Evaluation;
using Threadline.Query.TraceQL.Planning;
using Threadline.Storage;

namespace Threadline.Query.TraceQL.Search;

/// <summary>Runs TraceQL searches over the store contract: parse, check bounds, plan, fetch, evaluate exactly.</summary>
internal sealed class TraceQLSearcher(ITraceStore store, TraceQLOptions options, TimeProvider time)
{
    public async ValueTask<TraceQLSearchResult> SearchAsync(TraceQLSearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Limit < 1 || request.Limit > options.MaxLimit)
            throw new TraceQLQueryException($"The limit must be from 1 to {options.MaxLimit} traces (TraceQLOptions.MaxLimit); got {request.Limit}.");
        if (request.SpansPerSpanset < 1 || request.SpansPerSpanset > options.MaxSpansPerSpanset)
            throw new TraceQLQueryException(
                $"Spans per spanset (spss) must be from 1 to {options.MaxSpansPerSpanset} (TraceQLOptions.MaxSpansPerSpanset); got {request.SpansPerSpanset}.");

        var query = TraceQLParser.Parse(request.Query, options);
        if (query.Search is not { } expression)
            throw new TraceQLQueryException("This is a metrics query; run it as one (Tempo's /api/metrics/query_range, or /api/v1/traceql/metrics).");
        var (start, end) = QueryRange.Resolve(request.StartUnixNano, request.EndUnixNano, time, options.DefaultSearchRange, options.MaxSearchRange, nameof(options.MaxSearchRange));

        var plan = SearchPlanner.Plan(expression, start, end, request.Tenant);
        var fields = new FieldEvaluator(options.RegexTimeout);
        var evaluator = new SpansetEvaluator(fields);
        var results = new SearchResults(request.Limit, request.SpansPerSpanset, plan.OutputFields);
        var statistics = plan.SpanFetch is { } fetch
            ? await SearchSpansAsync(fetch, expression, evaluator, fields, results, cancellationToken)
            : await SearchTracesAsync(plan.Candidates!, expression, evaluator, fields, results, start, end, request.Tenant, cancellationToken);
        return new TraceQLSearchResult { Traces = results.Newest(), Statistics = statistics };
    }

    private async ValueTask<TraceQLStatistics> SearchSpansAsync(
        Storage.Fetch.FetchSpansRequest fetch, SpansetExpression expression, SpansetEvaluator evaluator, FieldEvaluator fields,
        SearchResults results, CancellationToken cancellationToken)
    {
        long traces = 0, spans = 0;
        await foreach (var spanset in store.FetchSpansAsync(fetch, cancellationToken))
        {
            traces++;
            spans += spanset.Spans.Count;
            if (spanset.Spans.Count == 0 || !results.Admits(spanset.TraceStartUnixNano, spanset.TraceId)) continue;
            var view = new FetchedSpans(spanset);
            var output = evaluator.Evaluate(expression, view, [EvaluatedSpanset.Whole(view)]);
            results.Add(view, fields, output);
        }
        return new TraceQLStatistics { InspectedTraces = traces, InspectedSpans = spans };
    }

    private async ValueTask<TraceQLStatistics> SearchTracesAsync(
        CandidateTraces candidates, SpansetExpression expression, SpansetEvaluator evaluator, FieldEvaluator fields,
        SearchResults results, ulong start, ulong end, TenantId tenant, CancellationToken cancellationToken)
    {
        var (found, fetchedSpans) = await CandidateCollector.CollectAsync(store, candidates, cancellationToken);
        long traces = 0, spans = fetchedSpans;
        // Newest first, so that the search stops as soon as it has its limit.
        foreach (var (traceId, _) in found.OrderByDescending(c => c.Value).ThenByDescending(c => c.Key))
        {
            if (results.Count >= results.Limit) break;
            if (++traces > options.MaxTracesEvaluated) throw CandidateCollector.TooManyTraces(options);
            var trace = await store.GetTraceAsync(new TraceByIdRequest(traceId) { StartHintUnixNano = start, EndHintUnixNano = end, Tenant = tenant }, cancellationToken);
            if (trace.Count == 0) continue;
            spans += trace.Count;
            var tree = new TraceTree(trace);
            results.Add(tree, fields, evaluator.Evaluate(expression, tree, [EvaluatedSpanset.Whole(tree)]));
        }
        return new TraceQLStatistics { InspectedTraces = traces, InspectedSpans = spans };
    }
}
