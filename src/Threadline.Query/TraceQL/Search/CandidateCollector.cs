using Threadline.Core.Model;
using Threadline.Query.TraceQL.Ast;
using Threadline.Query.TraceQL.Evaluation;
using Threadline.Query.TraceQL.Planning;
using Threadline.Storage;
using Threadline.Storage.Fetch;

namespace Threadline.Query.TraceQL.Search;

/// <summary>
/// Runs a plan's candidate fetches: the traces that can match, with their start times. When every
/// set in the plan comes from a filter that fetched spans answer exactly (as in
/// <c>{ resource.service.name = "api" } &gt;&gt; { span.db.system = "sqlite" }</c>), one fetch
/// of the union of their conditions finds them all, and each trace's membership of each set is
/// decided exactly on its spans: one scan of the store instead of one per side.
/// </summary>
internal static class CandidateCollector
{
    /// <summary>The candidate traces with their start times, and how many spans the fetches returned.</summary>
    public static async ValueTask<(Dictionary<TraceId, ulong> Traces, long Spans)> CollectAsync(
        ITraceStore store, CandidateTraces candidates, FieldEvaluator fields, CancellationToken cancellationToken)
    {
        var leaves = new List<FetchedTraces>();
        Leaves(candidates, leaves);
        if (leaves.Count > 1 && leaves.TrueForAll(l => l.Filter is not null))
            return await CollectInOneFetchAsync(store, candidates, leaves, fields, cancellationToken);
        return await CollectEachAsync(store, candidates, cancellationToken);
    }

    private static void Leaves(CandidateTraces candidates, List<FetchedTraces> leaves)
    {
        switch (candidates)
        {
            case FetchedTraces fetched: leaves.Add(fetched); break;
            case BothTraces both:
                Leaves(both.Left, leaves);
                Leaves(both.Right, leaves);
                break;
            case EitherTraces either:
                Leaves(either.Left, leaves);
                Leaves(either.Right, leaves);
                break;
        }
    }

    private static async ValueTask<(Dictionary<TraceId, ulong> Traces, long Spans)> CollectInOneFetchAsync(
        ITraceStore store, CandidateTraces candidates, List<FetchedTraces> leaves, FieldEvaluator fields, CancellationToken cancellationToken)
    {
        // A span matching any one set passes at least one of that set's filtering conditions (all
        // of them for a conjunction), so "any of the union" returns a superset of every set's spans;
        // a set with no filtering condition needs every span.
        var everySpan = leaves.Exists(l => !l.Request.Conditions.Any(c => c.Filters));
        var conditions = new List<Condition>();
        foreach (var leaf in leaves)
        {
            foreach (var condition in leaf.Request.Conditions.Where(c => c.Filters && !everySpan))
            {
                if (!conditions.Exists(c => c.ToString() == condition.ToString())) conditions.Add(condition);
            }
        }
        var reads = new List<FieldExpression>();
        foreach (var leaf in leaves) SearchPlanner.CollectFields(leaf.Filter!, reads);
        foreach (var read in reads)
        {
            if (ConditionPushdown.FetchOnly(read) is { } fetchOnly && !conditions.Exists(c => c.Scope == fetchOnly.Scope && c.Name == fetchOnly.Name))
                conditions.Add(fetchOnly);
        }
        var first = leaves[0].Request;
        var request = first with { Conditions = conditions, AllConditions = !conditions.Any(c => c.Filters) };

        var traces = new Dictionary<TraceId, ulong>();
        var membership = new Dictionary<FetchedTraces, bool>(ReferenceEqualityComparer.Instance);
        long spans = 0;
        await foreach (var spanset in store.FetchSpansAsync(request, cancellationToken))
        {
            spans += spanset.Spans.Count;
            var view = new FetchedSpans(spanset);
            foreach (var leaf in leaves) membership[leaf] = AnySpanMatches(leaf.Filter!, view, fields);
            if (Holds(candidates, membership)) traces[spanset.TraceId] = spanset.TraceStartUnixNano;
        }
        return (traces, spans);
    }

    private static bool AnySpanMatches(SpansetFilter filter, ISpanView view, FieldEvaluator fields)
    {
        for (var span = 0; span < view.Count; span++)
        {
            if (filter.MatchesAll || fields.IsTrue(filter.Condition, view, span)) return true;
        }
        return false;
    }

    private static bool Holds(CandidateTraces candidates, Dictionary<FetchedTraces, bool> membership) => candidates switch
    {
        FetchedTraces fetched => membership[fetched],
        BothTraces both => Holds(both.Left, membership) && Holds(both.Right, membership),
        EitherTraces either => Holds(either.Left, membership) || Holds(either.Right, membership),
        _ => false,
    };

    private static async ValueTask<(Dictionary<TraceId, ulong> Traces, long Spans)> CollectEachAsync(
        ITraceStore store, CandidateTraces candidates, CancellationToken cancellationToken)
    {
        switch (candidates)
        {
            case FetchedTraces fetched:
                var traces = new Dictionary<TraceId, ulong>();
                long spans = 0;
                await foreach (var spanset in store.FetchSpansAsync(fetched.Request, cancellationToken))
                {
                    spans += spanset.Spans.Count;
                    traces[spanset.TraceId] = spanset.TraceStartUnixNano;
                }
                return (traces, spans);
            case BothTraces both:
                var (left, leftSpans) = await CollectEachAsync(store, both.Left, cancellationToken);
                if (left.Count == 0) return (left, leftSpans);
                var (right, rightSpans) = await CollectEachAsync(store, both.Right, cancellationToken);
                foreach (var id in left.Keys.Where(id => !right.ContainsKey(id)).ToList()) left.Remove(id);
                return (left, leftSpans + rightSpans);
            case EitherTraces either:
                var (first, firstSpans) = await CollectEachAsync(store, either.Left, cancellationToken);
                var (second, secondSpans) = await CollectEachAsync(store, either.Right, cancellationToken);
                foreach (var (id, startTime) in second) first.TryAdd(id, startTime);
                return (first, firstSpans + secondSpans);
            default:
                throw new InvalidOperationException($"Unknown candidate set {candidates.GetType().Name}.");
        }
    }

    public static TraceQLQueryException TooManyTraces(TraceQLOptions options) => new(
        $"The query needs more than {options.MaxTracesEvaluated} whole traces evaluated (TraceQLOptions.MaxTracesEvaluated); narrow the time range or add conditions to its spansets.");
}
