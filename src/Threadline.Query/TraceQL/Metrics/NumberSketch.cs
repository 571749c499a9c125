namespace Threadline.Query.TraceQL.Metrics;

/// <summary>
/// Quantiles of arbitrary numbers (attribute values: negatives and fractions included) within
/// 1 % relative error, with the same log-bucket mapping and rank rule as the store's
/// <see cref="Threadline.Storage.Aggregates.DurationSketch"/>, so that a quantile of an attribute
/// and of a duration are computed alike. Memory is bounded by the range of magnitudes seen
/// (about 2,200 buckets per sign for doubles from 1e-308 to 1e308), not by the count.
/// </summary>
internal sealed class NumberSketch
{
    private static readonly double Gamma = 1.01 / 0.99;
    private static readonly double LogGamma = Math.Log(Gamma);

    private readonly Dictionary<int, long> _positive = [];
    private readonly Dictionary<int, long> _negative = [];
    private long _zeros;

    public long Count { get; private set; }

    public void Add(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value)) return;
        Count++;
        if (value == 0) _zeros++;
        else if (value > 0) Increment(_positive, IndexOf(value));
        else Increment(_negative, IndexOf(-value));
    }

    /// <summary>The value at rank ⌊q·(n−1)⌋, within 1 %; 0 when empty.</summary>
    public double Quantile(double q)
    {
        if (Count == 0) return 0;
        var rank = (long)Math.Floor(q * (Count - 1));
        var seen = 0L;
        // Negatives first, largest magnitude (smallest value) first.
        foreach (var (index, count) in _negative.OrderByDescending(b => b.Key))
        {
            seen += count;
            if (rank < seen) return -ValueOf(index);
        }
        seen += _zeros;
        if (rank < seen) return 0;
        var last = 0.0;
        foreach (var (index, count) in _positive.OrderBy(b => b.Key))
        {
            seen += count;
            last = ValueOf(index);
            if (rank < seen) return last;
        }
        return last;
    }

    private static void Increment(Dictionary<int, long> store, int index) =>
        store[index] = store.GetValueOrDefault(index) + 1;

    private static int IndexOf(double magnitude) => (int)Math.Ceiling(Math.Log(magnitude) / LogGamma);

    private static double ValueOf(int index) => 2 * Math.Pow(Gamma, index) / (Gamma + 1);
}
