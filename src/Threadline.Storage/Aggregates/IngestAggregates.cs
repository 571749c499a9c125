using Threadline.Core.Model;

namespace Threadline.Storage.Aggregates;

/// <summary>
/// Span metrics and service-graph edges per minute, computed as spans are appended so that RED,
/// the service map and TraceQL metrics read a few thousand entries instead of scanning spans.
/// An engine owns one and feeds it every appended span (it is not thread-safe: the engine
/// serialises calls, as it does its own writes) and keeps its state as durably as the spans.
/// Memory is bounded by <see cref="AggregateLimits"/>: entries by count (oldest minutes evicted),
/// keys per minute (the rest counted as capped), pending pairs by count and time.
/// </summary>
public sealed class IngestAggregates
{
    private readonly AggregateLimits _limits;
    private readonly SortedDictionary<long, Minute> _minutes = [];
    private readonly ServiceGraphPairing _pairing;
    private readonly Action<Span, Span, ConnectionType> _recordEdge;
    private long _entries;
    private long _cappedSpans;
    private long _cappedEdges;
    private long _evictedMinutes;

    // Spans of a batch mostly start in the same minute: remembering its bucket skips the
    // sorted-dictionary lookup per span. Cleared when that minute is evicted.
    private long _recentMinute = long.MinValue;
    private Minute? _recentBucket;

    /// <exception cref="ArgumentOutOfRangeException">A limit is zero or negative.</exception>
    public IngestAggregates(AggregateLimits limits, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.MaxEntries, 1, nameof(limits));
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.MaxKeysPerMinute, 1, nameof(limits));
        ArgumentOutOfRangeException.ThrowIfLessThan(limits.MaxPendingSpans, 1, nameof(limits));
        if (limits.PairingWait <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(limits), limits.PairingWait, "The pairing wait must be positive.");
        _limits = limits;
        _pairing = new ServiceGraphPairing(limits.MaxPendingSpans, limits.PairingWait, time ?? TimeProvider.System, RecordVirtualEdge);
        _recordEdge = RecordEdge;
    }

    public AggregateStatistics Statistics =>
        new(_entries, _cappedSpans, _cappedEdges, _evictedMinutes, _pairing.Expired, _pairing.PendingCount);

    /// <summary>Call once per appended batch, before its spans: gives up pairs that waited too long.</summary>
    public void BeginBatch() => _pairing.Expire();

    /// <summary>Counts one appended span and pairs it for the service graph.</summary>
    public void Observe(Span span)
    {
        var minute = MinuteClock.MinuteOf(span.StartTimeUnixNano);
        var key = new SpanMetricsKey(span.ServiceName, span.Name, span.Kind, span.Status.Code);
        if (Entry(minute, m => m.Metrics, key) is { } tally) tally.Add(span.DurationNanos, span.Status.Code == StatusCode.Error);
        else _cappedSpans++;
        _pairing.Observe(span, _recordEdge);
    }

    /// <summary>Span metrics over the query's minutes, merged per key, ordered by key.</summary>
    public IReadOnlyList<SpanMetricsSeries> SpanMetrics(AggregateQuery query)
    {
        var merged = Merge(query, m => m.Metrics, k => query.ServiceName is null || k.ServiceName == query.ServiceName);
        return [.. merged
            .OrderBy(p => p.Key.ServiceName, StringComparer.Ordinal).ThenBy(p => p.Key.SpanName, StringComparer.Ordinal)
            .ThenBy(p => p.Key.Kind).ThenBy(p => p.Key.StatusCode)
            .Select(p => new SpanMetricsSeries(p.Key, p.Value.Total.HandOver(), p.Value.PointsFor(query)))];
    }

    /// <summary>Service-graph edges over the query's minutes, merged per edge, ordered by caller then callee.</summary>
    public IReadOnlyList<ServiceGraphEdge> ServiceGraph(AggregateQuery query)
    {
        var merged = Merge(query, m => m.Edges, k => query.ServiceName is null || k.Caller == query.ServiceName || k.Callee == query.ServiceName);
        return [.. merged
            .OrderBy(p => p.Key.Caller, StringComparer.Ordinal).ThenBy(p => p.Key.Callee, StringComparer.Ordinal).ThenBy(p => p.Key.ConnectionType)
            .Select(p => new ServiceGraphEdge(p.Key, p.Value.Total.HandOver(), p.Value.PointsFor(query)))];
    }

    /// <summary>
    /// Hands over every (minute, key) tally held and forgets them, keeping the pairs still
    /// waiting for their partner: for an engine that keeps the aggregates elsewhere (the
    /// ClickHouse engine adds each batch's tallies to its tables) and needs this class only to
    /// count and pair.
    /// </summary>
    public AggregateDelta Drain()
    {
        var metrics = new List<MinuteTally<SpanMetricsKey>>();
        var edges = new List<MinuteTally<ServiceGraphKey>>();
        foreach (var (minute, bucket) in _minutes)
        {
            foreach (var (key, tally) in bucket.Metrics) metrics.Add(new(minute, key, tally.HandOver()));
            foreach (var (key, tally) in bucket.Edges) edges.Add(new(minute, key, tally.HandOver()));
        }
        _minutes.Clear();
        (_recentMinute, _recentBucket) = (long.MinValue, null);
        _entries = 0;
        return new AggregateDelta(metrics, edges);
    }

    private void RecordEdge(Span caller, Span callee, ConnectionType type)
    {
        // A call inside one service is not an edge of the map.
        if (caller.ServiceName == callee.ServiceName) return;
        var minute = MinuteClock.MinuteOf(caller.StartTimeUnixNano);
        var key = new ServiceGraphKey(caller.ServiceName, callee.ServiceName, type);
        var isError = caller.Status.Code == StatusCode.Error || callee.Status.Code == StatusCode.Error;
        if (Entry(minute, m => m.Edges, key) is { } tally) tally.Add(caller.DurationNanos, isError);
        else _cappedEdges++;
    }

    // A caller whose partner never came, to the database, destination or host its attributes name.
    private void RecordVirtualEdge(Span caller)
    {
        if (!VirtualNodes.TryResolve(caller, out var node, out var type)) return;
        var key = new ServiceGraphKey(caller.ServiceName, node, type);
        if (Entry(MinuteClock.MinuteOf(caller.StartTimeUnixNano), m => m.Edges, key) is { } tally) tally.Add(caller.DurationNanos, caller.Status.Code == StatusCode.Error);
        else _cappedEdges++;
    }

    // The tally for (minute, key), made if the bounds allow; null when capped.
    private Tally? Entry<TKey>(long minute, Func<Minute, Dictionary<TKey, Tally>> select, TKey key)
        where TKey : notnull
    {
        Minute? bucket;
        if (minute == _recentMinute) bucket = _recentBucket;
        else if (_minutes.TryGetValue(minute, out bucket)) (_recentMinute, _recentBucket) = (minute, bucket);
        if (bucket is not null && select(bucket).TryGetValue(key, out var tally)) return tally;

        // Only minutes older than this one make room: a late span must not push out newer data.
        while (_entries >= _limits.MaxEntries && _minutes.Count > 0 && _minutes.First().Key < minute) EvictOldestMinute();
        if (_entries >= _limits.MaxEntries) return null;

        if (bucket is null)
        {
            bucket = new Minute();
            _minutes.Add(minute, bucket);
            (_recentMinute, _recentBucket) = (minute, bucket);
        }
        var entries = select(bucket);
        if (entries.Count >= _limits.MaxKeysPerMinute) return null;
        tally = new Tally();
        entries.Add(key, tally);
        _entries++;
        return tally;
    }

    private void EvictOldestMinute()
    {
        var (minute, bucket) = _minutes.First();
        _minutes.Remove(minute);
        if (minute == _recentMinute) (_recentMinute, _recentBucket) = (long.MinValue, null);
        _entries -= bucket.Metrics.Count + bucket.Edges.Count;
        _evictedMinutes++;
    }

    private Dictionary<TKey, Merged> Merge<TKey>(AggregateQuery query, Func<Minute, Dictionary<TKey, Tally>> select, Func<TKey, bool> wanted)
        where TKey : notnull
    {
        var merged = new Dictionary<TKey, Merged>();
        foreach (var (minute, bucket) in _minutes)
        {
            if (minute < query.FirstMinute) continue;
            if (minute >= query.EndMinute) break;
            foreach (var (key, tally) in select(bucket))
            {
                if (!wanted(key)) continue;
                if (!merged.TryGetValue(key, out var m)) merged.Add(key, m = new Merged());
                m.Add(query, minute, tally);
            }
        }
        return merged;
    }

    private sealed class Minute
    {
        public readonly Dictionary<SpanMetricsKey, Tally> Metrics = [];
        public readonly Dictionary<ServiceGraphKey, Tally> Edges = [];
    }

    private sealed class Merged
    {
        public readonly Tally Total = new();
        private readonly SortedDictionary<long, Tally> _steps = [];

        public void Add(AggregateQuery query, long minute, Tally tally)
        {
            Total.Merge(tally);
            if (query.StepMinutes <= 0) return;
            var step = (minute - query.StepOrigin) / query.StepMinutes;
            if (!_steps.TryGetValue(step, out var point)) _steps.Add(step, point = new Tally());
            point.Merge(tally);
        }

        // Steps without data are absent rather than zero, so a sparse series stays small.
        public IReadOnlyList<AggregatePoint> PointsFor(AggregateQuery query) =>
            [.. _steps.Select(s => new AggregatePoint(MinuteClock.StartOf(query.StepOrigin + s.Key * query.StepMinutes), s.Value.HandOver()))];
    }
}
