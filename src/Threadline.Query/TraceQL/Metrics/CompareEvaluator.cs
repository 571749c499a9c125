using Threadline.Core.Model;
using Threadline.Query.TraceQL.Ast;
using Threadline.Query.TraceQL.Search;
using Threadline.Storage;

namespace Threadline.Query.TraceQL.Metrics;

/// <summary>
/// <c>compare({selection}, topN, start, end)</c> as Tempo answers it: the spans the pipeline
/// selects are split into the <em>selection</em> (matching the filter, and starting in
/// [start, end) when given) and the <em>baseline</em> (the rest); every attribute value of each
/// span is counted per step on its side. For each attribute the topN values by total count
/// become series labelled <c>__meta_type</c> = <c>baseline</c> or <c>selection</c>, each side's
/// per-attribute totals become <c>baseline_total</c> / <c>selection_total</c> series, and an
/// attribute with more values than topN gets a <c>__meta_error="__too_many_values__"</c> series.
/// Durations and ids are not compared (their values are all different). Whole traces are read,
/// since every attribute of a span is compared.
/// </summary>
internal static class CompareEvaluator
{
    private const string MetaType = "__meta_type";
    private const string MetaError = "__meta_error";
    private const string TooManyValues = "__too_many_values__";

    internal sealed record Outcome(List<MetricsSeriesBuilder.Draft> Drafts, long Traces, long Spans);

    public static async ValueTask<Outcome> EvaluateAsync(ITraceStore store, MetricsCompare compare, SpansetExpression selection,
        StepGrid grid, TenantId tenant, TraceQLOptions options, CancellationToken cancellationToken)
    {
        // The parser has checked topN and that the bounds are not negative.
        if ((compare.Start != 0 || compare.End != 0) && compare.End <= compare.Start)
            throw new TraceQLQueryException($"compare(): the selection's end ({compare.End}) must be after its start ({compare.Start}), both Unix nanoseconds.");

        var sides = new Side[] { new("baseline", grid.Count), new("selection", grid.Count) };
        var maxValues = options.MaxSeries * 16L;

        void Observe(TraceId traceId, SpanId spanId, ulong startUnixNano, ReadOnlySpan<AttributeValue> values, Span? whole)
        {
            var step = grid.IndexOf(startUnixNano);
            if (step < 0 || whole is not { } span) return;
            var inWindow = compare.Start == 0 && compare.End == 0
                || span.StartTimeUnixNano >= (ulong)compare.Start && span.StartTimeUnixNano < (ulong)compare.End;
            var chosen = values[0] is { Type: AttributeType.Bool } matched && matched.AsBool();
            var side = sides[inWindow && chosen ? 1 : 0];
            foreach (var (name, value) in ComparedAttributes(span)) side.Count(name, value, step);
            if (sides[0].ValueCount + sides[1].ValueCount > maxValues)
            {
                throw new TraceQLQueryException(
                    $"compare() met more than {maxValues} distinct attribute values (16 × TraceQL option MaxSeries). Narrow the range or the query's filter.");
            }
        }

        var (traces, spans) = await SelectionScanner.ScanAsync(store, selection, options, grid.Start, grid.End, tenant,
            [compare.Selection.Condition], wholeSpans: true, Observe, cancellationToken).ConfigureAwait(false);

        var drafts = new List<MetricsSeriesBuilder.Draft>();
        var tooMany = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var side in sides)
        {
            foreach (var (name, values) in side.Values)
            {
                var ranked = values.OrderByDescending(v => v.Value.Total).ThenBy(v => PromLabels.ValueText(v.Key), StringComparer.Ordinal);
                foreach (var (value, counts) in ranked.Take(compare.TopN))
                {
                    drafts.Add(Draft([new(MetaType, side.Name), new(name, value)], counts.PerStep));
                }
                if (values.Count > compare.TopN) tooMany.Add(name);
            }
            foreach (var (name, totals) in side.Totals)
            {
                drafts.Add(Draft([new(MetaType, side.Name + "_total"), new(name, AttributeValue.Empty)], totals));
            }
        }
        foreach (var name in tooMany)
        {
            drafts.Add(Draft([new(MetaError, TooManyValues), new(name, AttributeValue.Empty)], new double[grid.Count]));
        }
        if (drafts.Count > options.MaxSeries)
        {
            throw new TraceQLQueryException(
                $"compare() makes {drafts.Count} series; at most {options.MaxSeries} are allowed (TraceQL option MaxSeries). Ask for fewer values per attribute.");
        }
        return new Outcome(drafts, traces, spans);
    }

    // Every attribute of the span with a comparable value: intrinsics, the span's and its resource's.
    private static IEnumerable<(string Name, AttributeValue Value)> ComparedAttributes(Span span)
    {
        yield return ("name", span.Name);
        yield return ("status", LabelValues.Of(span.Status.Code));
        yield return ("kind", LabelValues.Of(span.Kind));
        if (span.Status.Message.Length > 0) yield return ("statusMessage", span.Status.Message);
        foreach (var attribute in span.Attributes)
        {
            if (IsComparable(attribute.Value)) yield return ("span." + attribute.Key, attribute.Value);
        }
        foreach (var attribute in span.Resource.Attributes)
        {
            if (IsComparable(attribute.Value)) yield return ("resource." + attribute.Key, attribute.Value);
        }
    }

    private static bool IsComparable(AttributeValue value) =>
        value.Type is AttributeType.String or AttributeType.Int or AttributeType.Double or AttributeType.Bool;

    private static MetricsSeriesBuilder.Draft Draft(List<TraceQLAttribute> labels, double[] values) =>
        new(labels, PromLabels.Format(labels), values, []);

    private sealed class Side(string name, int steps)
    {
        public string Name { get; } = name;
        public Dictionary<string, Dictionary<AttributeValue, Counts>> Values { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, double[]> Totals { get; } = new(StringComparer.Ordinal);
        public long ValueCount { get; private set; }

        public void Count(string attribute, AttributeValue value, int step)
        {
            if (!Values.TryGetValue(attribute, out var values)) Values.Add(attribute, values = []);
            if (!values.TryGetValue(value, out var counts))
            {
                values.Add(value, counts = new Counts(steps));
                ValueCount++;
            }
            counts.PerStep[step]++;
            counts.Total++;
            if (!Totals.TryGetValue(attribute, out var totals)) Totals.Add(attribute, totals = new double[steps]);
            totals[step]++;
        }
    }

    private sealed class Counts(int steps)
    {
        public double[] PerStep { get; } = new double[steps];
        public double Total { get; set; }
    }
}
