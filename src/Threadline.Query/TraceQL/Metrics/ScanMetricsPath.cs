using Threadline.Core.Model;
using Threadline.Query.TraceQL.Ast;
using Threadline.Query.TraceQL.Search;
using Threadline.Storage;

namespace Threadline.Query.TraceQL.Metrics;

/// <summary>
/// Answers any metrics query by scanning the spans its selection keeps (planned and evaluated
/// exactly by <see cref="SelectionScanner"/>) and feeding each to its series.
/// </summary>
internal static class ScanMetricsPath
{
    private const ulong NanosPerMillisecond = 1_000_000;

    /// <returns>Traces and spans inspected.</returns>
    public static ValueTask<(long Traces, long Spans)> FillAsync(ITraceStore store, MetricsQuery query, StepGrid grid, TenantId tenant,
        TraceQLOptions options, SeriesTable table, CancellationToken cancellationToken)
    {
        // Reads: the by() fields, then the function's field.
        var reads = query.By.Select(b => b.Expression).ToList();
        var field = query.Field;
        if (field is not null) reads.Add(field.Expression);
        var histogram = query.Function == MetricsFunction.HistogramOverTime;
        var scratch = new AttributeValue[query.By.Count + (histogram ? 1 : 0)];

        void Observe(TraceId traceId, SpanId spanId, ulong startUnixNano, ReadOnlySpan<AttributeValue> values, Span? whole)
        {
            var step = grid.IndexOf(startUnixNano);
            if (step < 0) return;

            var value = double.NaN;
            if (field is not null)
            {
                var raw = values[^1];
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
            values[..query.By.Count].CopyTo(scratch);

            var series = table.Get(scratch);
            series.Cells.Observe(step, value);
            if (table.WantsExemplar(series, step))
            {
                var exemplarValue = field is null || histogram ? double.NaN : field.IsDuration ? value / 1e9 : value;
                series.AddExemplar(new SeriesTable.Exemplar(traceId.ToString(), spanId.ToString(), exemplarValue, step,
                    (long)(startUnixNano / NanosPerMillisecond)));
            }
        }

        return SelectionScanner.ScanAsync(store, query.Selection, options, grid.Start, grid.End, tenant, reads, wholeSpans: false, Observe, cancellationToken);
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
