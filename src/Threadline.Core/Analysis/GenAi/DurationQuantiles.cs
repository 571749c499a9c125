namespace Threadline.Core.Analysis.GenAi;

/// <summary>
/// Quantiles of durations in bounded memory: exact (nearest rank) while at most
/// <see cref="ExactLimit"/> durations are seen, then from logarithmic buckets 1 % wide, so that
/// a quantile is within 1 % of the true value however many calls a model had.
/// </summary>
public sealed class DurationQuantiles
{
    /// <summary>Most durations kept one by one.</summary>
    public const int ExactLimit = 4096;

    private static readonly double LogGrowth = Math.Log(1.01);

    private List<ulong>? _exact = [];
    private SortedDictionary<int, long>? _buckets;

    public long Count { get; private set; }

    public void Add(ulong durationNanos)
    {
        Count++;
        if (_exact is not null)
        {
            _exact.Add(durationNanos);
            if (_exact.Count <= ExactLimit) return;
            _buckets = [];
            foreach (var d in _exact) AddToBucket(d);
            _exact = null;
            return;
        }
        AddToBucket(durationNanos);
    }

    /// <summary>The nearest-rank quantile (<paramref name="q"/> in (0, 1]); null when nothing was added.</summary>
    public ulong? Quantile(double q)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(q);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(q, 1);
        if (Count == 0) return null;
        var rank = (long)Math.Ceiling(q * Count);
        if (_exact is not null)
        {
            _exact.Sort();
            return _exact[(int)rank - 1];
        }
        long seen = 0;
        foreach (var (bucket, count) in _buckets!)
        {
            seen += count;
            if (seen >= rank) return Representative(bucket);
        }
        return Representative(_buckets.Keys.Last());
    }

    private void AddToBucket(ulong durationNanos)
    {
        var bucket = durationNanos == 0 ? -1 : (int)Math.Floor(Math.Log(durationNanos) / LogGrowth);
        _buckets![bucket] = _buckets.TryGetValue(bucket, out var count) ? count + 1 : 1;
    }

    // The bucket's geometric middle: at most half a bucket (0.5 %) from any duration in it.
    private static ulong Representative(int bucket) => bucket < 0 ? 0 : (ulong)Math.Round(Math.Exp((bucket + 0.5) * LogGrowth));
}
