using Threadline.Core.Model;
using Threadline.Query.TraceQL.Ast;
using Threadline.Query.TraceQL.Evaluation;
using Threadline.Query.TraceQL.Planning;
using Threadline.Storage;

namespace Threadline.Query.TraceQL.Search;

/// <summary>Receives one selected span: its ids and start, the values of the requested fields, and the whole span when asked for.</summary>
internal delegate void SelectedSpanSink(TraceId traceId, SpanId spanId, ulong startUnixNano, ReadOnlySpan<AttributeValue> values, Span? whole);

/// <summary>
/// Every span a spanset expression selects in a time range, planned and evaluated exactly as a
/// search is, without a limit: what a metrics query observes. Each selected span is handed over
/// once (a span in several spansets of its trace, once), with the values of the requested fields
/// as raw data (durations in integer nanoseconds, statuses and kinds as their names, absent as
/// <see cref="AttributeValue.Empty"/>).
/// </summary>
internal static class SelectionScanner
{
    /// <returns>Traces and spans inspected.</returns>
    /// <exception cref="TraceQLQueryException">A structural selection needs more whole traces than <see cref="TraceQLOptions.MaxTracesEvaluated"/>.</exception>
    public static async ValueTask<(long Traces, long Spans)> ScanAsync(
        ITraceStore store, SpansetExpression selection, TraceQLOptions options, ulong startUnixNano, ulong endUnixNano, TenantId tenant,
        IReadOnlyList<FieldExpression> reads, bool wholeSpans, SelectedSpanSink sink, CancellationToken cancellationToken)
    {
        var plan = SearchPlanner.Plan(selection, startUnixNano, endUnixNano, tenant, reads, wholeSpans);
        var fields = new FieldEvaluator(options.RegexTimeout);
        var evaluator = new SpansetEvaluator(fields);
        var values = new AttributeValue[reads.Count];
        long traces = 0, spans = 0;

        void Emit(ISpanView view, List<EvaluatedSpanset> spansets, Func<int, Span?> whole)
        {
            var seen = spansets.Count > 1 ? new HashSet<int>() : null;
            foreach (var spanset in spansets)
            {
                foreach (var span in spanset.Spans)
                {
                    var start = view.StartUnixNano(span);
                    if (start < startUnixNano || start >= endUnixNano || (seen is not null && !seen.Add(span))) continue;
                    for (var i = 0; i < reads.Count; i++) values[i] = fields.Evaluate(reads[i], view, span).ToRawAttributeValue();
                    sink(view.TraceId, view.SpanId(span), start, values, whole(span));
                }
            }
        }

        if (plan.SpanFetch is { } fetch)
        {
            await foreach (var spanset in store.FetchSpansAsync(fetch, cancellationToken))
            {
                traces++;
                spans += spanset.Spans.Count;
                var view = new FetchedSpans(spanset);
                Emit(view, evaluator.Evaluate(selection, view, [EvaluatedSpanset.Whole(view)]), static _ => null);
            }
            return (traces, spans);
        }

        var candidates = await CandidateCollector.CollectAsync(store, plan.Candidates!, cancellationToken);
        spans += candidates.Spans;
        foreach (var traceId in candidates.Traces.Keys)
        {
            if (++traces > options.MaxTracesEvaluated) throw CandidateCollector.TooManyTraces(options);
            var trace = await store.GetTraceAsync(
                new TraceByIdRequest(traceId) { StartHintUnixNano = startUnixNano, EndHintUnixNano = endUnixNano, Tenant = tenant }, cancellationToken);
            if (trace.Count == 0) continue;
            spans += trace.Count;
            var tree = new TraceTree(trace);
            Emit(tree, evaluator.Evaluate(selection, tree, [EvaluatedSpanset.Whole(tree)]), span => wholeSpans ? tree[span] : null);
        }
        return (traces, spans);
    }
}
