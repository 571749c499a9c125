using Threadline.Core.Model;
using Threadline.Query.TraceQL.Planning;
using Threadline.Storage;

namespace Threadline.Query.TraceQL.Search;

/// <summary>Runs a plan's candidate fetches: the traces that can match, with their start times.</summary>
internal static class CandidateCollector
{
    /// <summary>The candidate traces with their start times, and how many spans the fetches returned.</summary>
    public static async ValueTask<(Dictionary<TraceId, ulong> Traces, long Spans)> CollectAsync(ITraceStore store, CandidateTraces candidates, CancellationToken cancellationToken)
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
                var (left, leftSpans) = await CollectAsync(store, both.Left, cancellationToken);
                if (left.Count == 0) return (left, leftSpans);
                var (right, rightSpans) = await CollectAsync(store, both.Right, cancellationToken);
                foreach (var id in left.Keys.Where(id => !right.ContainsKey(id)).ToList()) left.Remove(id);
                return (left, leftSpans + rightSpans);
            case EitherTraces either:
                var (first, firstSpans) = await CollectAsync(store, either.Left, cancellationToken);
                var (second, secondSpans) = await CollectAsync(store, either.Right, cancellationToken);
                foreach (var (id, startTime) in second) first.TryAdd(id, startTime);
                return (first, firstSpans + secondSpans);
            default:
                throw new InvalidOperationException($"Unknown candidate set {candidates.GetType().Name}.");
        }
    }

    public static TraceQLQueryException TooManyTraces(TraceQLOptions options) => new(
        $"The query needs more than {options.MaxTracesEvaluated} whole traces evaluated (TraceQLOptions.MaxTracesEvaluated); narrow the time range or add conditions to its spansets.");
}
