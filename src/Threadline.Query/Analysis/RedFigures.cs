using Threadline.Storage.Aggregates;

namespace Threadline.Query.Analysis;

/// <summary>
/// Rate, errors and duration of a set of spans over some seconds: what a RED row, a graph edge
/// or a point shows. Quantiles are null when there were no spans.
/// </summary>
public sealed record RedFigures(long Count, long ErrorCount, double RatePerSecond, double? P50Nanos, double? P90Nanos, double? P95Nanos, double? P99Nanos)
{
    /// <summary>Errors over count; 0 when there were no spans.</summary>
    public double ErrorRatio => Count == 0 ? 0 : (double)ErrorCount / Count;

    public static RedFigures Empty { get; } = new(0, 0, 0, null, null, null, null);

    /// <summary>The figures of <paramref name="count"/> spans over <paramref name="seconds"/>, quantiles from <paramref name="durations"/>.</summary>
    public static RedFigures From(long count, long errorCount, DurationSketch durations, double seconds)
    {
        ArgumentNullException.ThrowIfNull(durations);
        if (count == 0) return Empty;
        return new(count, errorCount, count / seconds,
            durations.Quantile(0.5), durations.Quantile(0.9), durations.Quantile(0.95), durations.Quantile(0.99));
    }
}

/// <summary>A running sum of tallies: counts add, sketches merge exactly.</summary>
internal sealed class TallySum
{
    public long Count { get; private set; }
    public long ErrorCount { get; private set; }
    public DurationSketch Durations { get; } = new();

    public void Add(SpanTally tally)
    {
        Count += tally.Count;
        ErrorCount += tally.ErrorCount;
        Durations.Merge(tally.Durations);
    }

    public RedFigures Figures(double seconds) => RedFigures.From(Count, ErrorCount, Durations, seconds);
}
