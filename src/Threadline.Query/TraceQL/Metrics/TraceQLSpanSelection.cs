using Threadline.Core.Model;
using Threadline.Query.TraceQL.Ast;
using Threadline.Query.TraceQL.Evaluation;
using Threadline.Query.TraceQL.Planning;
using Threadline.Storage;
using Threadline.Storage.Fetch;

namespace Threadline.Query.TraceQL.Metrics;

/// <summary>
/// The spans of a metrics pipeline's selection, found and evaluated exactly as a search finds
/// them: the search planner's fetch when the selection needs only the matching spans, else its
/// candidate traces loaded whole (at most <see cref="TraceQLOptions.MaxTracesEvaluated"/>). The
/// fields a metrics function reads are planned as a <c>select()</c>, so that one fetch brings them.
/// </summary>
internal sealed class TraceQLSpanSelection(SpansetExpression selection, TraceQLOptions options) : ISpanSelection
{
    public async ValueTask<(long Traces, long Spans)> ScanAsync(ITraceStore store, ulong startUnixNano, ulong endUnixNano, TenantId tenant,
        IReadOnlyList<FieldExpression> reads, bool wholeSpans, Action<SelectedSpan> sink, CancellationToken cancellationToken)
    {
        SpansetExpression expression = reads.Count == 0 ? selection
            : new Pipeline([.. selection is Pipeline pipeline ? pipeline.Stages : [selection], new Select(reads)]);
        var plan = SearchPlanner.Plan(expression, startUnixNano, endUnixNano, tenant);
        var scan = new Scan(expression, reads, sink, new FieldEvaluator(options.RegexTimeout));

        if (plan.SpanFetch is { } fetch && !wholeSpans)
        {
            await foreach (var spanset in store.FetchSpansAsync(fetch, cancellationToken).ConfigureAwait(false))
            {
                scan.Evaluate(new FetchedSpans(spanset), whole: false);
            }
            return (scan.Traces, scan.Spans);
        }

        var candidates = plan.Candidates ?? new FetchedTraces(new FetchSpansRequest
        {
            StartTimeUnixNano = startUnixNano,
            EndTimeUnixNano = endUnixNano,
            Conditions = plan.SpanFetch!.Conditions,
            AllConditions = plan.SpanFetch.AllConditions,
            Tenant = tenant,
        });
        var traces = await CollectAsync(store, candidates, cancellationToken).ConfigureAwait(false);
        if (traces.Count > options.MaxTracesEvaluated)
        {
            throw new TraceQLQueryException(
                $"The metrics query needs {traces.Count} whole traces evaluated; at most {options.MaxTracesEvaluated} are allowed (TraceQLOptions.MaxTracesEvaluated). Narrow the range or add conditions to its spansets.");
        }
        foreach (var traceId in traces)
        {
            var trace = await store.GetTraceAsync(
                new TraceByIdRequest(traceId) { StartHintUnixNano = startUnixNano, EndHintUnixNano = endUnixNano, Tenant = tenant },
                cancellationToken).ConfigureAwait(false);
            if (trace.Count > 0) scan.Evaluate(new TraceTree(trace), whole: wholeSpans);
        }
        return (scan.Traces, scan.Spans);
    }

    // The traces that can match, after the search planner's candidate sets (a superset).
    private static async ValueTask<HashSet<TraceId>> CollectAsync(ITraceStore store, CandidateTraces candidates, CancellationToken cancellationToken)
    {
        switch (candidates)
        {
            case FetchedTraces fetched:
                var traces = new HashSet<TraceId>();
                await foreach (var spanset in store.FetchSpansAsync(fetched.Request, cancellationToken).ConfigureAwait(false)) traces.Add(spanset.TraceId);
                return traces;
            case BothTraces both:
                var left = await CollectAsync(store, both.Left, cancellationToken).ConfigureAwait(false);
                if (left.Count > 0) left.IntersectWith(await CollectAsync(store, both.Right, cancellationToken).ConfigureAwait(false));
                return left;
            case EitherTraces either:
                var first = await CollectAsync(store, either.Left, cancellationToken).ConfigureAwait(false);
                first.UnionWith(await CollectAsync(store, either.Right, cancellationToken).ConfigureAwait(false));
                return first;
            default:
                throw new InvalidOperationException($"Unknown candidate set {candidates.GetType().Name}.");
        }
    }

    // Evaluates the selection on one trace's view and hands over each selected span once.
    private sealed class Scan(SpansetExpression expression, IReadOnlyList<FieldExpression> reads, Action<SelectedSpan> sink, FieldEvaluator fields)
    {
        private readonly SpansetEvaluator _evaluator = new(fields);
        private readonly SelectedSpan _selected = new(reads.Count);
        private readonly HashSet<int> _seen = [];

        public long Traces { get; private set; }
        public long Spans { get; private set; }

        public void Evaluate(ISpanView view, bool whole)
        {
            Traces++;
            var output = _evaluator.Evaluate(expression, view, [EvaluatedSpanset.Whole(view)]);
            if (output.Count == 0) return;
            _seen.Clear();
            foreach (var spanset in output)
            {
                foreach (var span in spanset.Spans)
                {
                    // A span in several spansets (by(), ||) is still one span.
                    if (!_seen.Add(span)) continue;
                    Spans++;
                    _selected.TraceId = view.TraceId;
                    _selected.SpanId = view.SpanId(span);
                    _selected.StartUnixNano = view.StartUnixNano(span);
                    _selected.Whole = whole ? ((TraceTree)view)[span] : null;
                    for (var i = 0; i < reads.Count; i++) _selected.Values[i] = ToLabel(fields.Evaluate(reads[i], view, span));
                    sink(_selected);
                }
            }
        }

        // Durations stay integer nanoseconds (the metrics paths scale them); statuses and kinds become their names.
        private static AttributeValue ToLabel(FieldValue value)
        {
            if (!value.IsPresent) return AttributeValue.Empty;
            if (value.Many is { } many) return AttributeValue.FromArray(many);
            var v = value.Value;
            return v.Type switch
            {
                StaticType.String => v.AsString(),
                StaticType.Int => v.AsInt(),
                StaticType.Double => v.AsDouble(),
                StaticType.Bool => v.AsBool(),
                StaticType.Duration => (long)Math.Min(v.AsDuration(), long.MaxValue),
                StaticType.Kind => LabelValues.Of(v.AsKind()),
                _ => LabelValues.Of(v.AsStatus()),
            };
        }
    }
}
