using Threadline.Core.Model;

namespace Threadline.Storage.Aggregates;

/// <summary>
/// Matches the two sides of a call — a CLIENT span and its SERVER child, a PRODUCER span and a
/// CONSUMER that is its child or links to it — which may arrive in any order and in different
/// batches. An unmatched side waits in a pending map bounded in size and in time (by arrival,
/// on the injected clock); what is given up is counted, never silently lost. A producer stays
/// pending after a match, as a message may have many consumers; but only one callee waits per
/// caller, so a second consumer of one message arriving before its producer is counted as given
/// up. A CLIENT or PRODUCER given up unmatched is handed to <paramref name="onUnpairedCaller"/>,
/// which may make it an edge to a virtual node (a database, a destination, an external host).
/// Not thread-safe.
/// </summary>
internal sealed class ServiceGraphPairing(int maxPending, TimeSpan wait, TimeProvider time, Action<Span> onUnpairedCaller)
{
    // Links beyond these on one consumer are not looked at, so one span costs bounded work.
    private const int MaxLinksFollowed = 8;

    private readonly Dictionary<PairKey, Pending> _callers = [];
    private readonly Dictionary<PairKey, Pending> _callees = [];
    private readonly Queue<Pending> _arrivals = new();

    /// <summary>Sides given up (expired or pushed out) without having been matched.</summary>
    public long Expired { get; private set; }

    /// <summary>Sides waiting now (matched producers included, as they still wait for more consumers).</summary>
    public int PendingCount { get; private set; }

    /// <summary>Takes one span into account; calls <paramref name="onPair"/> for each pair it completes.</summary>
    public void Observe(Span span, Action<Span, Span, ConnectionType> onPair)
    {
        switch (span.Kind)
        {
            case SpanKind.Client:
            case SpanKind.Producer:
                ObserveCaller(span, onPair);
                break;
            case SpanKind.Server:
            case SpanKind.Consumer:
                ObserveCallee(span, onPair);
                break;
        }
    }

    /// <summary>Gives up the sides that have waited longer than allowed.</summary>
    public void Expire()
    {
        var now = time.GetTimestamp();
        while (_arrivals.TryPeek(out var oldest) && time.GetElapsedTime(oldest.ArrivedAt, now) > wait) GiveUpOldest();
    }

    private void ObserveCaller(Span caller, Action<Span, Span, ConnectionType> onPair)
    {
        var key = new PairKey(caller.TraceId, caller.SpanId);
        var type = caller.Kind == SpanKind.Client ? ConnectionType.Call : ConnectionType.Messaging;
        var matched = false;
        if (_callees.TryGetValue(key, out var callee) && Fits(caller, callee.Span))
        {
            Finish(callee);
            onPair(caller, callee.Span, type);
            matched = true;
        }
        // A client has one server child; a producer's message may reach more consumers later.
        if (matched && type == ConnectionType.Call) return;
        var pending = new Pending(caller, key, null, time.GetTimestamp()) { Matched = matched };
        if (!_callers.TryAdd(key, pending)) return;
        Enqueue(pending);
    }

    private void ObserveCallee(Span callee, Action<Span, Span, ConnectionType> onPair)
    {
        Span<PairKey> keys = stackalloc PairKey[1 + MaxLinksFollowed];
        var count = 0;
        if (!callee.ParentSpanId.IsEmpty) keys[count++] = new PairKey(callee.TraceId, callee.ParentSpanId);
        if (callee.Kind == SpanKind.Consumer)
        {
            foreach (var link in callee.Links)
            {
                if (count == keys.Length) break;
                keys[count++] = new PairKey(link.TraceId, link.SpanId);
            }
        }
        if (count == 0) return;

        foreach (var key in keys[..count])
        {
            if (!_callers.TryGetValue(key, out var caller) || !Fits(caller.Span, callee)) continue;
            if (caller.Span.Kind == SpanKind.Client)
            {
                Finish(caller);
            }
            else
            {
                caller.Matched = true;
            }
            onPair(caller.Span, callee, caller.Span.Kind == SpanKind.Client ? ConnectionType.Call : ConnectionType.Messaging);
            return;
        }

        // Most callees have one key (their parent); only consumers with links need an array.
        var pending = new Pending(callee, keys[0], count > 1 ? keys[1..count].ToArray() : null, time.GetTimestamp());
        var added = _callees.TryAdd(pending.Key, pending);
        foreach (var key in pending.MoreKeys ?? []) added |= _callees.TryAdd(key, pending);
        if (added) Enqueue(pending);
        else Expired++;
    }

    private static bool Fits(Span caller, Span callee) =>
        (caller.Kind, callee.Kind) is (SpanKind.Client, SpanKind.Server) or (SpanKind.Producer, SpanKind.Consumer);

    private void Enqueue(Pending pending)
    {
        if (_arrivals.Count >= maxPending) GiveUpOldest();
        _arrivals.Enqueue(pending);
        PendingCount++;
    }

    private void Finish(Pending pending)
    {
        pending.Done = true;
        PendingCount--;
        RemoveKeys(pending);
    }

    private void GiveUpOldest()
    {
        var oldest = _arrivals.Dequeue();
        if (oldest.Done) return;
        Finish(oldest);
        if (oldest.Matched) return;
        Expired++;
        if (oldest.Span.Kind is SpanKind.Client or SpanKind.Producer) onUnpairedCaller(oldest.Span);
    }

    private void RemoveKeys(Pending pending)
    {
        var map = pending.Span.Kind is SpanKind.Client or SpanKind.Producer ? _callers : _callees;
        RemoveKey(map, pending.Key, pending);
        foreach (var key in pending.MoreKeys ?? []) RemoveKey(map, key, pending);
    }

    private static void RemoveKey(Dictionary<PairKey, Pending> map, PairKey key, Pending pending)
    {
        if (map.TryGetValue(key, out var held) && ReferenceEquals(held, pending)) map.Remove(key);
    }

    private readonly record struct PairKey(TraceId TraceId, SpanId SpanId);

    private sealed class Pending(Span span, PairKey key, PairKey[]? moreKeys, long arrivedAt)
    {
        public Span Span { get; } = span;

        /// <summary>The key it waits under: its own id for a caller, its parent's for a callee.</summary>
        public PairKey Key { get; } = key;

        /// <summary>A consumer's links beyond its parent; null for most spans.</summary>
        public PairKey[]? MoreKeys { get; } = moreKeys;
        public long ArrivedAt { get; } = arrivedAt;

        /// <summary>Out of the maps: matched (a client or a callee) or given up.</summary>
        public bool Done { get; set; }

        /// <summary>A producer that found at least one consumer: not counted when it leaves.</summary>
        public bool Matched { get; set; }
    }
}
