using Threadline.Query.TraceQL.Ast;
using Threadline.Core.Model;

namespace Threadline.Query.TraceQL.Metrics;

/// <summary>
/// Turns a <see cref="SeriesTable"/> into the result's series as Tempo shapes them: labels named
/// by the query's fields (nil values dropped; <c>{__name__="rate"}</c> for an ungrouped series),
/// one series per quantile labelled <c>p</c>, histogram buckets labelled <c>__bucket</c>, steps
/// without a sample left out, series without any sample dropped.
/// </summary>
internal static class MetricsSeriesBuilder
{
    public const string BucketLabel = "__bucket";
    public const string QuantileLabel = "p";
    public const string NameLabel = "__name__";
    public const string TraceIdLabel = "trace:id";
    public const string SpanIdLabel = "span:id";

    /// <summary>A series before it is frozen: labels and one value per step (NaN: no sample).</summary>
    internal sealed record Draft(IReadOnlyList<TraceQLAttribute> Labels, string PromLabels, double[] Values, IReadOnlyList<SeriesTable.Exemplar> Exemplars);

    /// <exception cref="TraceQLQueryException">Quantiles would multiply the series past <paramref name="maxSeries"/>.</exception>
    public static List<Draft> Drafts(MetricsQuery query, SeriesTable table, StepGrid grid, int maxSeries)
    {
        var quantiles = query.Function == MetricsFunction.QuantileOverTime ? query.Quantiles : [];
        var total = (long)table.Count * Math.Max(1, quantiles.Count);
        if (total > maxSeries)
        {
            throw new TraceQLQueryException(
                $"The metrics query makes {total} series ({table.Count} groups × {quantiles.Count} quantiles); at most {maxSeries} are allowed (TraceQL option MaxSeries). Ask for fewer quantiles or group by fewer fields.");
        }

        var drafts = new List<Draft>();
        foreach (var series in table.All)
        {
            var labels = GroupLabels(query, series.Key.Values);
            if (quantiles.Count == 0)
            {
                drafts.Add(MakeDraft(labels, series.Cells.Samples(grid), series.Exemplars));
                continue;
            }
            var overall = quantiles.Select(q => series.Cells.OverallQuantile(q)).ToArray();
            for (var i = 0; i < quantiles.Count; i++)
            {
                var withP = labels.Append(new TraceQLAttribute(QuantileLabel, AttributeValue.FromDouble(quantiles[i]))).ToList();
                var index = i;
                var exemplars = series.Exemplars.Where(e => QuantileFor(e.Value, overall) == index).ToList();
                drafts.Add(MakeDraft(withP, series.Cells.Samples(grid, quantiles[i]), exemplars));
            }
        }
        return drafts;
    }

    /// <summary>The frozen series, ordered by their printed labels so that answers are stable.</summary>
    public static IReadOnlyList<TraceQLSeries> Freeze(IEnumerable<Draft> drafts, StepGrid grid)
    {
        var result = new List<TraceQLSeries>();
        foreach (var draft in drafts.OrderBy(d => d.PromLabels, StringComparer.Ordinal))
        {
            var samples = new List<TraceQLSample>();
            for (var i = 0; i < draft.Values.Length; i++)
            {
                if (!double.IsNaN(draft.Values[i])) samples.Add(new TraceQLSample(grid.TimestampMsOf(i), draft.Values[i]));
            }
            if (samples.Count == 0) continue;
            var exemplars = draft.Exemplars
                .Where(e => !double.IsNaN(draft.Values[e.Step]))
                .Select(e => new TraceQLExemplar(
                    [new(TraceIdLabel, e.TraceId), new(SpanIdLabel, e.SpanId)],
                    double.IsNaN(e.Value) ? draft.Values[e.Step] : e.Value,
                    e.TimestampMs))
                .ToList();
            result.Add(new TraceQLSeries { Labels = draft.Labels, PromLabels = draft.PromLabels, Samples = samples, Exemplars = exemplars });
        }
        return result;
    }

    private static Draft MakeDraft(IReadOnlyList<TraceQLAttribute> labels, double[] values, IReadOnlyList<SeriesTable.Exemplar> exemplars) =>
        new(labels, PromLabels.Format(labels), values, exemplars);

    private static List<TraceQLAttribute> GroupLabels(MetricsQuery query, AttributeValue[] key)
    {
        var labels = new List<TraceQLAttribute>();
        for (var i = 0; i < query.By.Count; i++)
        {
            if (key[i].Type != AttributeType.Empty) labels.Add(new TraceQLAttribute(query.By[i].Label, key[i]));
        }
        switch (query.Function)
        {
            case MetricsFunction.HistogramOverTime:
                labels.Add(new TraceQLAttribute(BucketLabel, key[^1]));
                break;
            case MetricsFunction.QuantileOverTime:
                break;
            default:
                // Prometheus-style series always have a label: a function's name when ungrouped,
                // the first field as nil when every grouping value was missing.
                if (query.By.Count == 0) labels.Add(new TraceQLAttribute(NameLabel, OperatorText.Of(query.Function)));
                else if (labels.Count == 0) labels.Add(new TraceQLAttribute(query.By[0].Label, AttributeValue.Empty));
                break;
        }
        return labels;
    }

    // Tempo's rule: an exemplar goes to the smallest quantile at or above its value.
    private static int QuantileFor(double value, double[] overall)
    {
        for (var i = 0; i < overall.Length; i++)
        {
            if (value <= overall[i]) return i;
        }
        return overall.Length - 1;
    }
}
