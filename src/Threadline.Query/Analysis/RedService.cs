using Threadline.Core.Model;
using Threadline.Storage;
using Threadline.Storage.Aggregates;

namespace Threadline.Query.Analysis;

/// <summary>RED of one step: its start and the figures of the minutes in it.</summary>
public sealed record RedPoint(ulong StartUnixNano, RedFigures Figures);

/// <summary>RED of a set of spans over a range: the total and one point per step (empty steps included).</summary>
public sealed record RedSeries(RedFigures Total, IReadOnlyList<RedPoint> Points);

/// <summary>RED of one operation of a service: its name and kind, all status codes together.</summary>
public sealed record OperationRed(string Name, SpanKind Kind, RedSeries Series);

/// <summary>RED of a service's operations, busiest first; <see cref="Truncated"/> when more existed than were asked for.</summary>
public sealed record OperationsRed(IReadOnlyList<OperationRed> Operations, bool Truncated);

/// <summary>
/// Rate, errors and duration per service and per operation over time, read from the ingest-time
/// span metrics (never from spans), so an hour of ten million spans costs a merge of a few
/// thousand sketches.
/// </summary>
public sealed class RedService
{
    private readonly ITraceStore _store;

    public RedService(ITraceStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>
    /// The service's entry points (SERVER and CONSUMER spans), or all its spans when it has none
    /// in the range (a batch job, a client-only tool); zeros when the service is unknown.
    /// </summary>
    public async Task<RedSeries> GetServiceRedAsync(string service, AnalysisRange range, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(range);
        var query = range.ToQuery(service, withSteps: true);
        var series = await _store.GetSpanMetricsAsync(query, cancellationToken).ConfigureAwait(false);
        var entries = series.Where(s => IsEntryPoint(s.Key.Kind)).ToList();
        return Sum(entries.Count > 0 ? entries : series, query);
    }

    /// <summary>Per (span name, kind) of the service, ordered by count descending then name; at most <paramref name="limit"/>.</summary>
    public async Task<OperationsRed> GetOperationsRedAsync(string service, AnalysisRange range, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(range);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var query = range.ToQuery(service, withSteps: true);
        var series = await _store.GetSpanMetricsAsync(query, cancellationToken).ConfigureAwait(false);
        var operations = series
            .GroupBy(s => (s.Key.SpanName, s.Key.Kind))
            .Select(g => (g.Key, Count: g.Sum(s => s.Total.Count), Series: (IReadOnlyList<SpanMetricsSeries>)[.. g]))
            .OrderByDescending(o => o.Count).ThenBy(o => o.Key.SpanName, StringComparer.Ordinal).ThenBy(o => o.Key.Kind)
            .ToList();
        // Only the operations shown are summed per step: an exploding name space costs a sort, not a series each.
        return new OperationsRed(
            [.. operations.Take(limit).Select(o => new OperationRed(o.Key.SpanName, o.Key.Kind, Sum(o.Series, query)))],
            operations.Count > limit);
    }

    /// <summary>SERVER and CONSUMER spans: where requests and messages enter a service.</summary>
    public static bool IsEntryPoint(SpanKind kind) => kind is SpanKind.Server or SpanKind.Consumer;

    // Totals add over the series; points add per step, and every step of the range has a point.
    internal static RedSeries Sum(IEnumerable<SpanMetricsSeries> series, AggregateQuery query)
    {
        var total = new TallySum();
        var steps = new TallySum?[query.StepCount];
        foreach (var one in series)
        {
            total.Add(one.Total);
            foreach (var point in one.Points)
            {
                var index = (MinuteClock.MinuteOf(point.StartUnixNano) - query.StepOrigin) / query.StepMinutes;
                if (index < 0 || index >= steps.Length) continue;
                (steps[index] ??= new TallySum()).Add(point.Tally);
            }
        }
        var points = new RedPoint[steps.Length];
        for (var i = 0; i < steps.Length; i++)
        {
            var first = query.StepOrigin + i * query.StepMinutes;
            var seconds = Math.Min(query.StepMinutes, query.EndMinute - first) * 60.0;
            points[i] = new RedPoint(MinuteClock.StartOf(first), steps[i]?.Figures(seconds) ?? RedFigures.Empty);
        }
        return new RedSeries(total.Figures(Math.Max(1, query.EndMinute - query.FirstMinute) * 60.0), points);
    }
}
