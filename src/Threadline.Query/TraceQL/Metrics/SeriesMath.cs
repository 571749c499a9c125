using Threadline.Query.TraceQL.Ast;

namespace Threadline.Query.TraceQL.Metrics;

/// <summary>
/// Arithmetic and sample filters over series: <c>(a) / (b)</c> pairs the series whose labels
/// match (ignoring <c>__name__</c>, so that two ungrouped series pair), <c>(a) * 2</c> scales every
/// sample, <c>&gt; 10</c> keeps the samples that pass. A step where either side has no sample, or
/// where the result is not a finite number (a division by zero), has no sample.
/// </summary>
internal static class SeriesMath
{
    public static List<MetricsSeriesBuilder.Draft> Combine(ArithmeticOperator op, List<MetricsSeriesBuilder.Draft> left, List<MetricsSeriesBuilder.Draft> right)
    {
        var byLabels = new Dictionary<string, MetricsSeriesBuilder.Draft>(StringComparer.Ordinal);
        foreach (var r in right) byLabels.TryAdd(WithoutName(r).PromLabels, r);
        var result = new List<MetricsSeriesBuilder.Draft>();
        foreach (var l in left)
        {
            var named = WithoutName(l);
            if (!byLabels.TryGetValue(named.PromLabels, out var r)) continue;
            var values = new double[l.Values.Length];
            for (var i = 0; i < values.Length; i++) values[i] = Finite(Apply(op, l.Values[i], r.Values[i]));
            result.Add(named with { Values = values, Exemplars = [] });
        }
        return result;
    }

    public static List<MetricsSeriesBuilder.Draft> Scale(ArithmeticOperator op, List<MetricsSeriesBuilder.Draft> series, double scalar, bool scalarOnLeft) =>
        [.. series.Select(s => s with
        {
            Values = [.. s.Values.Select(v => Finite(scalarOnLeft ? Apply(op, scalar, v) : Apply(op, v, scalar)))],
        })];

    public static List<MetricsSeriesBuilder.Draft> Filter(MetricsFilter filter, List<MetricsSeriesBuilder.Draft> series) =>
        [.. series.Select(s => s with { Values = [.. s.Values.Select(v => Passes(filter, v) ? v : double.NaN)] })];

    private static MetricsSeriesBuilder.Draft WithoutName(MetricsSeriesBuilder.Draft draft)
    {
        var labels = draft.Labels.Where(l => l.Name != MetricsSeriesBuilder.NameLabel).ToList();
        return labels.Count == draft.Labels.Count ? draft : draft with { Labels = labels, PromLabels = PromLabels.Format(labels) };
    }

    private static double Apply(ArithmeticOperator op, double a, double b) => op switch
    {
        ArithmeticOperator.Add => a + b,
        ArithmeticOperator.Subtract => a - b,
        ArithmeticOperator.Multiply => a * b,
        ArithmeticOperator.Divide => a / b,
        ArithmeticOperator.Modulo => a % b,
        _ => Math.Pow(a, b),
    };

    private static double Finite(double value) => double.IsFinite(value) ? value : double.NaN;

    private static bool Passes(MetricsFilter filter, double value) => !double.IsNaN(value) && filter.Operator switch
    {
        ComparisonOperator.Equal => value == filter.Value,
        ComparisonOperator.NotEqual => value != filter.Value,
        ComparisonOperator.Less => value < filter.Value,
        ComparisonOperator.LessOrEqual => value <= filter.Value,
        ComparisonOperator.Greater => value > filter.Value,
        _ => value >= filter.Value,
    };
}
