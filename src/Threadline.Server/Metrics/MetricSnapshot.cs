namespace Threadline.Server.Metrics;

/// <summary>How an instrument's values add up, which decides how it is exposed.</summary>
internal enum MetricKind
{
    /// <summary>Only goes up (Counter, ObservableCounter).</summary>
    Counter,

    /// <summary>A current value (gauges, up-down counters).</summary>
    Gauge,

    /// <summary>A distribution in buckets.</summary>
    Histogram,
}

/// <summary>An instrument's values at one collection: one point per distinct set of labels.</summary>
internal sealed record MetricSnapshot(string Name, string? Description, string? Unit, MetricKind Kind, IReadOnlyList<MetricPoint> Points)
{
    /// <summary>The sum over every point whose labels include all of <paramref name="labels"/>; 0 when none does.</summary>
    public double Sum(params (string Key, string Value)[] labels) =>
        Points.Where(p => labels.All(l => p.Labels.Any(pl => pl.Key == l.Key && pl.Value == l.Value))).Sum(p => p.Value);
}

/// <summary>
/// One labelled value. For a histogram, <see cref="Value"/> is the sum of the observations,
/// <see cref="Count"/> their number, and <see cref="BucketCounts"/> the count per bound of
/// <see cref="Bounds"/> (not cumulative), with one more for above the last bound.
/// </summary>
internal sealed record MetricPoint(
    IReadOnlyList<KeyValuePair<string, string>> Labels,
    double Value,
    long Count = 0,
    IReadOnlyList<double>? Bounds = null,
    IReadOnlyList<long>? BucketCounts = null);
