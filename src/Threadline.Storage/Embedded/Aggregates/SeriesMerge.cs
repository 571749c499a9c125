using Threadline.Storage.Aggregates;

namespace Threadline.Storage.Embedded.Aggregates;

/// <summary>
/// Adds up aggregate series answered to the same <see cref="AggregateQuery"/> by several
/// sources (heads, the archive of written-out heads): per key, totals add and points with the
/// same step start add. Sketches merge exactly, so the sum equals what one source holding
/// every span would have answered.
/// </summary>
internal sealed class SeriesMerge<TKey>
    where TKey : notnull
{
    private readonly Dictionary<TKey, (Accumulator Total, SortedDictionary<ulong, Accumulator> Points)> _series = [];

    public void Add(TKey key, SpanTally total, IEnumerable<AggregatePoint> points)
    {
        var entry = Entry(key);
        entry.Total.Add(total.Count, total.ErrorCount, total.Durations);
        foreach (var point in points) Point(entry.Points, point.StartUnixNano).Add(point.Tally.Count, point.Tally.ErrorCount, point.Tally.Durations);
    }

    public void AddMinute(TKey key, ulong pointStart, bool withPoint, long count, long errors, DurationSketch durations)
    {
        var entry = Entry(key);
        entry.Total.Add(count, errors, durations);
        if (withPoint) Point(entry.Points, pointStart).Add(count, errors, durations);
    }

    public IEnumerable<(TKey Key, SpanTally Total, IReadOnlyList<AggregatePoint> Points)> Results() =>
        _series.Select(s => (s.Key, s.Value.Total.ToTally(),
            (IReadOnlyList<AggregatePoint>)[.. s.Value.Points.Select(p => new AggregatePoint(p.Key, p.Value.ToTally()))]));

    private (Accumulator Total, SortedDictionary<ulong, Accumulator> Points) Entry(TKey key)
    {
        if (!_series.TryGetValue(key, out var entry)) _series.Add(key, entry = (new Accumulator(), []));
        return entry;
    }

    private static Accumulator Point(SortedDictionary<ulong, Accumulator> points, ulong start)
    {
        if (!points.TryGetValue(start, out var point)) points.Add(start, point = new Accumulator());
        return point;
    }

    private sealed class Accumulator
    {
        private long _count;
        private long _errors;
        private readonly DurationSketch _durations = new();

        public void Add(long count, long errors, DurationSketch durations)
        {
            _count += count;
            _errors += errors;
            _durations.Merge(durations);
        }

        public SpanTally ToTally() => new(_count, _errors, _durations.Clone());
    }
}
