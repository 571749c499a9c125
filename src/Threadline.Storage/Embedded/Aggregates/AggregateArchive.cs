using Threadline.Core.Model;
using Threadline.Storage.Aggregates;

namespace Threadline.Storage.Embedded.Aggregates;

/// <summary>
/// The span metrics and service-graph edges of every head already written out as a block, per
/// minute and key, loaded from the <c>aggregates</c> folder at open and grown at each cut.
/// Bounded by a number of entries: past it the oldest minutes go, as in a head. Thread-safe.
/// </summary>
internal sealed class AggregateArchive(int maxEntries)
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<long, ArchivedMinute> _minutes = [];
    private long _entries;

    public long Entries
    {
        get
        {
            lock (_lock) return _entries;
        }
    }

    public void Add(AggregateCut cut)
    {
        lock (_lock)
        {
            foreach (var entry in cut.Metrics) Tally(entry.Minute, m => m.Metrics, entry.Key).Add(entry.Tally);
            foreach (var entry in cut.Edges) Tally(entry.Minute, m => m.Edges, entry.Key).Add(entry.Tally);
            while (_entries > maxEntries && _minutes.Count > 0) DropOldest();
        }
    }

    /// <summary>Drops the minutes before <paramref name="minute"/> (retention).</summary>
    public void DropBefore(long minute)
    {
        lock (_lock)
        {
            while (_minutes.Count > 0 && _minutes.First().Key < minute) DropOldest();
        }
    }

    /// <summary>Everything held, as one cut (for consolidating the files).</summary>
    public AggregateCut Snapshot(long fromSegment, long toSegment)
    {
        lock (_lock)
        {
            return new AggregateCut(fromSegment, toSegment,
                [.. _minutes.SelectMany(m => m.Value.Metrics.Select(e => new MinuteEntry<SpanMetricsKey>(m.Key, e.Key, e.Value.ToRecord())))],
                [.. _minutes.SelectMany(m => m.Value.Edges.Select(e => new MinuteEntry<ServiceGraphKey>(m.Key, e.Key, e.Value.ToRecord())))]);
        }
    }

    public void AddTo(AggregateQuery query, SeriesMerge<SpanMetricsKey> merge) =>
        AddTo(query, m => m.Metrics, k => query.ServiceName is null || k.ServiceName == query.ServiceName, merge);

    public void AddTo(AggregateQuery query, SeriesMerge<ServiceGraphKey> merge) =>
        AddTo(query, m => m.Edges, k => query.ServiceName is null || k.Caller == query.ServiceName || k.Callee == query.ServiceName, merge);

    private void AddTo<TKey>(AggregateQuery query, Func<ArchivedMinute, Dictionary<TKey, ArchivedTally>> select, Func<TKey, bool> wanted, SeriesMerge<TKey> merge)
        where TKey : notnull
    {
        lock (_lock)
        {
            foreach (var (minute, bucket) in _minutes)
            {
                if (minute < query.FirstMinute) continue;
                if (minute >= query.EndMinute) break;
                var withPoint = query.StepMinutes > 0;
                var pointStart = withPoint ? MinuteClock.StartOf(query.StepOrigin + (minute - query.StepOrigin) / query.StepMinutes * query.StepMinutes) : 0;
                foreach (var (key, tally) in select(bucket))
                {
                    if (wanted(key)) merge.AddMinute(key, pointStart, withPoint, tally.Count, tally.Errors, tally.Durations);
                }
            }
        }
    }

    private ArchivedTally Tally<TKey>(long minute, Func<ArchivedMinute, Dictionary<TKey, ArchivedTally>> select, TKey key)
        where TKey : notnull
    {
        if (!_minutes.TryGetValue(minute, out var bucket)) _minutes.Add(minute, bucket = new ArchivedMinute());
        var entries = select(bucket);
        if (!entries.TryGetValue(key, out var tally))
        {
            entries.Add(key, tally = new ArchivedTally());
            _entries++;
        }
        return tally;
    }

    private void DropOldest()
    {
        var (minute, bucket) = _minutes.First();
        _minutes.Remove(minute);
        _entries -= bucket.Metrics.Count + bucket.Edges.Count;
    }

    private sealed class ArchivedMinute
    {
        public readonly Dictionary<SpanMetricsKey, ArchivedTally> Metrics = [];
        public readonly Dictionary<ServiceGraphKey, ArchivedTally> Edges = [];
    }

    private sealed class ArchivedTally
    {
        public long Count;
        public long Errors;
        public readonly DurationSketch Durations = new();

        public void Add(TallyRecord record)
        {
            Count += record.Count;
            Errors += record.Errors;
            Durations.Merge(record.Durations);
        }

        public TallyRecord ToRecord() => new(Count, Errors, Durations.Clone());
    }
}

/// <summary>Count, errors and durations of one (minute, key).</summary>
internal sealed record TallyRecord(long Count, long Errors, DurationSketch Durations);

/// <summary>One (minute, key) entry of a cut.</summary>
internal readonly record struct MinuteEntry<TKey>(long Minute, TKey Key, TallyRecord Tally);

/// <summary>
/// The aggregates of the heads written out as blocks whose log segments were
/// [<paramref name="FromSegment"/>, <paramref name="ToSegment"/>]: once a cut is committed, those
/// segments are never replayed, so their spans are never counted twice.
/// </summary>
internal sealed record AggregateCut(long FromSegment, long ToSegment, IReadOnlyList<MinuteEntry<SpanMetricsKey>> Metrics, IReadOnlyList<MinuteEntry<ServiceGraphKey>> Edges)
{
    /// <summary>The per-minute aggregates a head kept, read back through the store contract.</summary>
    public static async Task<AggregateCut> FromHeadAsync(ITraceStore head, ulong minStart, ulong maxStart, long fromSegment, long toSegment, CancellationToken cancellationToken)
    {
        var metrics = new List<MinuteEntry<SpanMetricsKey>>();
        var edges = new List<MinuteEntry<ServiceGraphKey>>();
        if (minStart <= maxStart)
        {
            // A query has at most AggregateQuery.MaxSteps one-minute steps; a head whose spans
            // span longer (clients with wrong clocks) is read in chunks.
            const long Chunk = AggregateQuery.MaxSteps - 1;
            for (var first = MinuteClock.MinuteOf(minStart); first <= MinuteClock.MinuteOf(maxStart); first += Chunk)
            {
                var query = new AggregateQuery
                {
                    StartTimeUnixNano = MinuteClock.StartOf(first),
                    EndTimeUnixNano = MinuteClock.StartOf(Math.Min(first + Chunk, MinuteClock.MinuteOf(maxStart) + 1)),
                    StepMinutes = 1,
                };
                foreach (var series in await head.GetSpanMetricsAsync(query, cancellationToken).ConfigureAwait(false))
                {
                    foreach (var point in series.Points)
                        metrics.Add(new(MinuteClock.MinuteOf(point.StartUnixNano), series.Key, new TallyRecord(point.Tally.Count, point.Tally.ErrorCount, point.Tally.Durations)));
                }
                foreach (var edge in await head.GetServiceGraphAsync(query, cancellationToken).ConfigureAwait(false))
                {
                    foreach (var point in edge.Points)
                        edges.Add(new(MinuteClock.MinuteOf(point.StartUnixNano), edge.Key, new TallyRecord(point.Tally.Count, point.Tally.ErrorCount, point.Tally.Durations)));
                }
            }
        }
        return new AggregateCut(fromSegment, toSegment, metrics, edges);
    }
}
