namespace Threadline.Storage.Aggregates;

/// <summary>
/// A mergeable summary of durations answering quantiles within 1 % relative error: a
/// log-bucketed histogram (the DDSketch mapping), where bucket <c>i</c> holds values in
/// (γ^(i-1), γ^i] with γ = 1.01/0.99, and reports the bucket's centre, which is within 1 % of
/// anything in it. Merging adds bucket counts, so it is exact, associative and commutative:
/// minutes merge into hours, nodes into a cluster, without losing accuracy. Durations are
/// nanoseconds, so at most ~2,200 buckets exist and memory is bounded whatever the input.
/// Not thread-safe; the owner serialises writes.
/// </summary>
public sealed class DurationSketch
{
    /// <summary>The promised bound on the relative error of <see cref="Quantile"/>.</summary>
    public const double RelativeAccuracy = 0.01;

    private static readonly double Gamma = (1 + RelativeAccuracy) / (1 - RelativeAccuracy);
    private static readonly double LogGamma = Math.Log(Gamma);

    private long[] _counts = [];
    private int _offset;

    /// <summary>Durations recorded (zeros included).</summary>
    public long Count { get; private set; }

    /// <summary>Zero-length durations, kept apart because the log mapping has no bucket for 0.</summary>
    public long ZeroCount { get; private set; }

    /// <summary>Sum of the recorded durations (ns), for averages.</summary>
    public double SumNanos { get; private set; }

    public void Add(ulong nanoseconds) => Add(nanoseconds, 1);

    /// <summary>Records <paramref name="count"/> occurrences of a duration.</summary>
    public void Add(ulong nanoseconds, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0) return;
        Count += count;
        SumNanos += (double)nanoseconds * count;
        if (nanoseconds == 0)
        {
            ZeroCount += count;
            return;
        }
        AddToBucket(IndexOf(nanoseconds), count);
    }

    /// <summary>Adds every recording of <paramref name="other"/> to this sketch.</summary>
    public void Merge(DurationSketch other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Count += other.Count;
        ZeroCount += other.ZeroCount;
        SumNanos += other.SumNanos;
        for (var i = 0; i < other._counts.Length; i++)
        {
            if (other._counts[i] != 0) AddToBucket(other._offset + i, other._counts[i]);
        }
    }

    /// <summary>A copy that does not change when this one does.</summary>
    public DurationSketch Clone()
    {
        var copy = new DurationSketch();
        copy.Merge(this);
        return copy;
    }

    /// <summary>
    /// The estimated duration (ns) at quantile <paramref name="q"/> (0 = minimum, 1 = maximum),
    /// within <see cref="RelativeAccuracy"/> of the recorded value at rank ⌊q·(n−1)⌋; 0 when empty.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="q"/> is not within [0, 1].</exception>
    public double Quantile(double q)
    {
        if (!(q >= 0 && q <= 1)) throw new ArgumentOutOfRangeException(nameof(q), q, "A quantile must be within [0, 1].");
        if (Count == 0) return 0;
        var rank = (long)Math.Floor(q * (Count - 1));
        var seen = ZeroCount;
        if (rank < seen) return 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (rank < seen) return ValueOf(_offset + i);
        }
        return ValueOf(_offset + _counts.Length - 1);
    }

    /// <summary>The non-empty buckets as (index, count), ascending: the sketch's whole state besides the zero count and sum, for engines that persist it.</summary>
    public IEnumerable<(int Index, long Count)> Buckets()
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            if (_counts[i] != 0) yield return (_offset + i, _counts[i]);
        }
    }

    /// <summary>
    /// A sketch with the state an engine persisted from <see cref="Buckets"/>, <see cref="ZeroCount"/>
    /// and <see cref="SumNanos"/>: it answers and merges exactly as the original did.
    /// </summary>
    public static DurationSketch Restore(long zeroCount, double sumNanos, IEnumerable<(int Index, long Count)> buckets)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(zeroCount);
        ArgumentNullException.ThrowIfNull(buckets);
        var sketch = new DurationSketch { ZeroCount = zeroCount, Count = zeroCount, SumNanos = sumNanos };
        foreach (var (index, count) in buckets)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(count);
            if (count == 0) continue;
            sketch.Count += count;
            sketch.AddToBucket(index, count);
        }
        return sketch;
    }

    /// <summary>The bucket a duration falls in.</summary>
    public static int IndexOf(ulong nanoseconds) => (int)Math.Ceiling(Math.Log(nanoseconds) / LogGamma);

    private static double ValueOf(int index) => 2 * Math.Pow(Gamma, index) / (Gamma + 1);

    private void AddToBucket(int index, long count)
    {
        if (_counts.Length == 0)
        {
            _counts = new long[8];
            _offset = index;
        }
        else if (index < _offset)
        {
            // Grow downwards with some slack so that a slowly widening range does not copy per value.
            var grown = new long[_counts.Length + (_offset - index) + 8];
            var shift = _offset - index + 8;
            Array.Copy(_counts, 0, grown, shift, _counts.Length);
            _counts = grown;
            _offset -= shift;
        }
        else if (index >= _offset + _counts.Length)
        {
            Array.Resize(ref _counts, Math.Max(_counts.Length * 2, index - _offset + 8));
        }
        _counts[index - _offset] += count;
    }
}
