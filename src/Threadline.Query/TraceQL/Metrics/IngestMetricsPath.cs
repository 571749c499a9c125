using Threadline.Query.TraceQL.Ast;
using System.Numerics;
using Threadline.Core.Model;
using Threadline.Storage;
using Threadline.Storage.Aggregates;

namespace Threadline.Query.TraceQL.Metrics;

/// <summary>
/// Answers an eligible query (<see cref="MetricsQuery.IngestEligible"/>) from the span metrics
/// kept at ingest, per minute and per (service, span name, kind, status): the work depends on
/// the number of keys and minutes, not on the number of spans. Counts are exact; quantiles
/// come from the same 1 %-accurate sketch the scan path uses; a histogram's power-of-two
/// buckets are filled from the sketch's finer buckets, each placed by its representative value,
/// so only a duration within 1 % of a power of two can land in the neighbouring bucket.
/// </summary>
internal static class IngestMetricsPath
{
    private const ulong NanosPerMinute = MinuteClock.NanosPerMinute;

    /// <summary>Whether the grid's steps are whole minutes starting on a minute, as the aggregates are kept.</summary>
    public static bool FitsGrid(StepGrid grid) =>
        grid.Step % NanosPerMinute == 0 && grid.Start % NanosPerMinute == 0 && grid.End % NanosPerMinute == 0;

    /// <summary>
    /// Fills <paramref name="table"/>; false when the store holds no span metrics at all for the
    /// range (aggregates off, or evicted), so that the caller scans instead of answering nothing.
    /// </summary>
    public static async ValueTask<bool> TryFillAsync(ITraceStore store, MetricsQuery query, StepGrid grid, TenantId tenant,
        SeriesTable table, CancellationToken cancellationToken)
    {
        var aggregateQuery = new AggregateQuery
        {
            StartTimeUnixNano = grid.Start,
            EndTimeUnixNano = grid.End,
            StepMinutes = grid.IsInstant ? 0 : (int)(grid.Step / NanosPerMinute),
            Tenant = tenant,
        };
        var metrics = await store.GetSpanMetricsAsync(aggregateQuery, cancellationToken).ConfigureAwait(false);
        if (metrics.Count == 0) return false;

        var filter = query.IngestFilter!;
        var histogram = query.Function == MetricsFunction.HistogramOverTime;
        var scratch = new AttributeValue[query.By.Count + (histogram ? 1 : 0)];
        foreach (var series in metrics)
        {
            if (!filter(series.Key)) continue;
            for (var i = 0; i < query.By.Count; i++) scratch[i] = query.By[i].ReadKey(series.Key);
            if (grid.IsInstant)
            {
                Add(table, query, scratch, 0, series.Total, histogram);
                continue;
            }
            foreach (var point in series.Points)
            {
                var step = grid.IndexOf(point.StartUnixNano);
                if (step >= 0) Add(table, query, scratch, step, point.Tally, histogram);
            }
        }
        return true;
    }

    private static void Add(SeriesTable table, MetricsQuery query, AttributeValue[] scratch, int step, SpanTally tally, bool histogram)
    {
        if (histogram)
        {
            foreach (var (bucketSeconds, count) in PowerOfTwoBuckets(tally.Durations))
            {
                scratch[^1] = AttributeValue.FromDouble(bucketSeconds);
                table.Get(scratch).Cells.Count(step, count);
            }
            return;
        }
        var cells = table.Get(scratch).Cells;
        if (query.Function == MetricsFunction.QuantileOverTime) cells.Merge(step, tally.Durations);
        else cells.Count(step, tally.Count);
    }

    // The sketch's buckets regrouped into Tempo's histogram buckets (seconds); durations under
    // 2 ns, which Tempo leaves out of histograms, are left out here too.
    private static IEnumerable<(double BucketSeconds, long Count)> PowerOfTwoBuckets(DurationSketch durations)
    {
        var grouped = new SortedDictionary<ulong, long>();
        foreach (var (index, count) in durations.Buckets())
        {
            var representative = DurationSketchMapping.ValueOf(index);
            if (representative < 2) continue;
            var bucket = BitOperations.RoundUpToPowerOf2((ulong)Math.Round(representative));
            grouped[bucket] = grouped.GetValueOrDefault(bucket) + count;
        }
        return grouped.Select(b => (HistogramBuckets.Seconds(b.Key), b.Value));
    }
}

/// <summary>Tempo's histogram buckets: a value's next power of two (durations in seconds).</summary>
internal static class HistogramBuckets
{
    /// <summary>The bucket of a non-negative integer value; null under 2, which Tempo leaves out.</summary>
    public static ulong? Of(ulong value) => value < 2 ? null : BitOperations.RoundUpToPowerOf2(value);

    public static double Seconds(ulong nanos) => nanos / 1e9;
}

/// <summary>
/// The value a <see cref="DurationSketch"/> bucket stands for (its centre), computed as the
/// sketch does so that histograms can be rebuilt from its buckets.
/// </summary>
internal static class DurationSketchMapping
{
    private static readonly double Gamma = (1 + DurationSketch.RelativeAccuracy) / (1 - DurationSketch.RelativeAccuracy);

    public static double ValueOf(int index) => 2 * Math.Pow(Gamma, index) / (Gamma + 1);
}
