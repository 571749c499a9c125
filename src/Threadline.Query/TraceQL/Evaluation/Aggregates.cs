using Threadline.Query.TraceQL.Ast;
using Threadline.Storage.Fetch;

namespace Threadline.Query.TraceQL.Evaluation;

/// <summary>
/// count(), avg(), min(), max(), sum() over a spanset. Spans where the field is missing or not a
/// single number are skipped; with no numbers left the result is missing (no comparison holds).
/// Integers stay integers (except in avg), durations stay durations, any float makes a float.
/// </summary>
internal static class Aggregates
{
    public static FieldValue Compute(Aggregate aggregate, FieldEvaluator fields, ISpanView view, List<int> spans)
    {
        if (aggregate.Function == AggregateFunction.Count) return FieldValue.Of(StaticValue.Int(spans.Count));

        var count = 0;
        var allInts = true;
        var allDurations = true;
        long intSum = 0;
        var intOverflow = false;
        double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        StaticValue minValue = default, maxValue = default;
        foreach (var span in spans)
        {
            var value = fields.Evaluate(aggregate.Field!, view, span);
            if (!value.IsSingle || !ValueComparer.IsNumber(value.Value)) continue;
            var number = ValueComparer.ToNumber(value.Value);
            if (double.IsNaN(number)) continue;
            count++;
            allInts &= value.Value.Type == StaticType.Int;
            allDurations &= value.Value.Type == StaticType.Duration;
            if (value.Value.Type == StaticType.Int && !intOverflow)
            {
                try
                {
                    intSum = checked(intSum + value.Value.AsInt());
                }
                catch (OverflowException)
                {
                    intOverflow = true;
                }
            }
            sum += number;
            if (number < min) (min, minValue) = (number, value.Value);
            if (number > max) (max, maxValue) = (number, value.Value);
        }
        if (count == 0) return FieldValue.Nil;

        return aggregate.Function switch
        {
            AggregateFunction.Min => FieldValue.Of(allInts || allDurations ? minValue : StaticValue.Double(min)),
            AggregateFunction.Max => FieldValue.Of(allInts || allDurations ? maxValue : StaticValue.Double(max)),
            AggregateFunction.Sum when allInts && !intOverflow => FieldValue.Of(StaticValue.Int(intSum)),
            AggregateFunction.Sum when allDurations && sum <= long.MaxValue => FieldValue.Of(StaticValue.Duration((ulong)sum)),
            AggregateFunction.Sum => FieldValue.Of(StaticValue.Double(sum)),
            _ when allDurations => FieldValue.Of(StaticValue.Duration((ulong)(sum / count))),
            _ => FieldValue.Of(StaticValue.Double(sum / count)),
        };
    }
}
