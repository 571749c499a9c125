namespace Threadline.Query.TraceQL.Metrics;

/// <summary>
/// <c>topk(n)</c> / <c>bottomk(n)</c> as Tempo evaluates them: at each step the n series with
/// the highest (lowest) values keep that step's value; a series keeps only the steps where it
/// ranked, and a series that never ranked is dropped. Ties go to the series whose labels print
/// first, so that answers are stable.
/// </summary>
internal static class SecondStageEvaluator
{
    public static List<MetricsSeriesBuilder.Draft> Apply(bool top, int limit, List<MetricsSeriesBuilder.Draft> drafts, int steps)
    {
        var kept = drafts.Select(d => Enumerable.Repeat(double.NaN, steps).ToArray()).ToArray();
        var order = Enumerable.Range(0, drafts.Count).OrderBy(i => drafts[i].PromLabels, StringComparer.Ordinal).ToArray();
        for (var step = 0; step < steps; step++)
        {
            var at = step;
            var ranked = order
                .Where(i => !double.IsNaN(drafts[i].Values[at]))
                .OrderBy(i => top ? -drafts[i].Values[at] : drafts[i].Values[at])
                .Take(limit);
            foreach (var i in ranked) kept[i][step] = drafts[i].Values[step];
        }
        return [.. drafts.Select((d, i) => d with { Values = kept[i] }).Where(d => d.Values.Any(v => !double.IsNaN(v)))];
    }
}
