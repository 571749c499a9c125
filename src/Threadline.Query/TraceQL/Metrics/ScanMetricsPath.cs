using Threadline.Query.TraceQL.Ast;
using Threadline.Core.Model;
using Threadline.Storage;
using Threadline.Storage.Fetch;

namespace Threadline.Query.TraceQL.Metrics;

/// <summary>
/// Answers any metrics query by scanning the spans its filter selects (evaluated exactly by the
/// TraceQL evaluator behind <see cref="ISpanSelection"/>) and feeding each to its series.
/// </summary>
internal static class ScanMetricsPath
{
    /// <returns>Spansets and spans observed.</returns>
    public static async ValueTask<(long Traces, long Spans)> FillAsync(ITraceStore store, MetricsQuery query, StepGrid grid, TenantId tenant,
        SeriesTable table, CancellationToken cancellationToken)
    {
        var fetch = FieldsToFetch(query);
        var histogram = query.Function == MetricsFunction.HistogramOverTime;
        var scratch = new AttributeValue[query.By.Count + (histogram ? 1 : 0)];
        var field = query.Field;
        var usesValue = field is not null && !histogram;
        long traces = 0, spans = 0;

        await foreach (var set in query.Spans.SelectAsync(store, grid.Start, grid.End, tenant, fetch, cancellationToken).ConfigureAwait(false))
        {
            traces++;
            foreach (var span in set.Spans)
            {
                var step = grid.IndexOf(span.StartTimeUnixNano);
                if (step < 0) continue;
                spans++;

                var value = double.NaN;
                if (field is not null)
                {
                    if (!field.TryRead(set, span, out var raw) || !TryNumber(raw, out value)) continue;
                    if (histogram)
                    {
                        // Tempo buckets integers (and durations) only; a double has no bucket.
                        if (raw.Type != AttributeType.Int || HistogramBuckets.Of((ulong)Math.Max(0, raw.AsInt())) is not { } bucket) continue;
                        scratch[^1] = AttributeValue.FromDouble(field.IsDuration ? HistogramBuckets.Seconds(bucket) : bucket);
                    }
                }
                for (var i = 0; i < query.By.Count; i++)
                {
                    if (!query.By[i].TryRead(set, span, out scratch[i])) scratch[i] = AttributeValue.Empty;
                }

                var series = table.Get(scratch);
                series.Cells.Observe(step, value);
                if (table.WantsExemplar(series, step))
                {
                    series.AddExemplar(new SeriesTable.Exemplar(
                        set.TraceId.ToString(), span.SpanId.ToString(),
                        usesValue ? (field!.IsDuration ? value / 1e9 : value) : double.NaN,
                        step, (long)(span.StartTimeUnixNano / 1_000_000)));
                }
            }
        }
        return (traces, spans);
    }

    private static List<Condition> FieldsToFetch(MetricsQuery query)
    {
        var fetch = new List<Condition>();
        foreach (var field in query.By.Append(query.Field))
        {
            if (field?.FetchCondition is { } condition && !fetch.Contains(condition)) fetch.Add(condition);
        }
        return fetch;
    }

    // Numbers as Tempo floatizes them: integers and doubles; anything else has no value.
    private static bool TryNumber(AttributeValue value, out double number)
    {
        switch (value.Type)
        {
            case AttributeType.Int: number = value.AsInt(); return true;
            case AttributeType.Double: number = value.AsDouble(); return !double.IsNaN(number);
            default: number = double.NaN; return false;
        }
    }
}
