using Threadline.Core.Model;
using Threadline.Query.TraceQL.Ast;
using Threadline.Storage;

namespace Threadline.Query.TraceQL.Metrics;

/// <summary>
/// Answers any metrics query by scanning the spans its filter selects (evaluated exactly by the
/// TraceQL evaluator behind <see cref="ISpanSelection"/>) and feeding each to its series.
/// </summary>
internal static class ScanMetricsPath
{
    private const ulong NanosPerMillisecond = 1_000_000;

    /// <returns>Traces and spans inspected.</returns>
    public static ValueTask<(long Traces, long Spans)> FillAsync(ITraceStore store, MetricsQuery query, StepGrid grid, TenantId tenant,
        SeriesTable table, CancellationToken cancellationToken)
    {
        // Reads: the by() fields, then the function's field.
        var reads = query.By.Select(b => b.Expression).ToList();
        var field = query.Field;
        if (field is not null) reads.Add(field.Expression);
        var histogram = query.Function == MetricsFunction.HistogramOverTime;
        var scratch = new AttributeValue[query.By.Count + (histogram ? 1 : 0)];

        void Observe(SelectedSpan span)
        {
            var step = grid.IndexOf(span.StartUnixNano);
            if (step < 0) return;

            var value = double.NaN;
            if (field is not null)
            {
                var raw = span.Values[^1];
                if (histogram)
                {
                    // Tempo buckets integers and durations only; a double has no bucket.
                    if (raw.Type != AttributeType.Int || raw.AsInt() < 0 || HistogramBuckets.Of((ulong)raw.AsInt()) is not { } bucket) return;
                    scratch[^1] = AttributeValue.FromDouble(field.IsDuration ? HistogramBuckets.Seconds(bucket) : bucket);
                }
                else if (!TryNumber(raw, out value))
                {
                    return;
                }
            }
            Array.Copy(span.Values, scratch, query.By.Count);

            var series = table.Get(scratch);
            series.Cells.Observe(step, value);
            if (table.WantsExemplar(series, step))
            {
                var exemplarValue = field is null || histogram ? double.NaN : field.IsDuration ? value / 1e9 : value;
                series.AddExemplar(new SeriesTable.Exemplar(span.TraceId.ToString(), span.SpanId.ToString(), exemplarValue, step,
                    (long)(span.StartUnixNano / NanosPerMillisecond)));
            }
        }

        return query.Spans.ScanAsync(store, grid.Start, grid.End, tenant, reads, wholeSpans: false, Observe, cancellationToken);
    }

    // Numbers as Tempo floatizes them: integers (durations in ns) and doubles; anything else has no value.
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
