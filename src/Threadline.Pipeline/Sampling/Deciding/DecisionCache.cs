using Threadline.Core.Model;

namespace Threadline.Pipeline.Sampling.Deciding;

/// <summary>
/// Decisions of traces no longer held, so that spans arriving after the decision follow it:
/// two bounded first-in-first-out tables (kept, dropped), and a bounded memory of ids pushed
/// out of them, so a span whose decision was forgotten is counted as a miss rather than silently
/// starting a second decision. Not thread-safe: the sampler calls it under its lock.
/// </summary>
internal sealed class DecisionCache
{
    private readonly Table _kept;
    private readonly Table _dropped;
    private readonly HashSet<TraceId> _forgotten = [];
    private readonly Queue<TraceId> _forgottenOrder = new();
    private readonly int _forgottenCapacity;

    public DecisionCache(int keptCapacity, int droppedCapacity)
    {
        _kept = new Table(keptCapacity);
        _dropped = new Table(droppedCapacity);
        _forgottenCapacity = Math.Max(keptCapacity, droppedCapacity);
    }

    public int Count => _kept.Count + _dropped.Count;

    public void Add(TraceId traceId, SamplingDecision decision)
    {
        var pushedOut = (decision.Keep ? _kept : _dropped).Add(traceId, decision);
        if (pushedOut is not { } gone || _forgottenCapacity == 0) return;
        if (_forgottenOrder.Count >= _forgottenCapacity) _forgotten.Remove(_forgottenOrder.Dequeue());
        if (_forgotten.Add(gone)) _forgottenOrder.Enqueue(gone);
    }

    public bool TryGet(TraceId traceId, out SamplingDecision decision) =>
        _kept.TryGet(traceId, out decision) || _dropped.TryGet(traceId, out decision);

    /// <summary>Whether the trace was decided once and its decision has since been pushed out.</summary>
    public bool WasForgotten(TraceId traceId) => _forgotten.Contains(traceId);

    private sealed class Table(int capacity)
    {
        private readonly Dictionary<TraceId, SamplingDecision> _decisions = new(Math.Min(capacity, 1 << 16));
        private readonly Queue<TraceId> _order = new();

        public int Count => _decisions.Count;

        public TraceId? Add(TraceId traceId, SamplingDecision decision)
        {
            if (capacity == 0) return null;
            if (_decisions.TryAdd(traceId, decision)) _order.Enqueue(traceId);
            else _decisions[traceId] = decision;
            if (_decisions.Count <= capacity) return null;
            var oldest = _order.Dequeue();
            _decisions.Remove(oldest);
            return oldest;
        }

        public bool TryGet(TraceId traceId, out SamplingDecision decision) => _decisions.TryGetValue(traceId, out decision!);
    }
}
