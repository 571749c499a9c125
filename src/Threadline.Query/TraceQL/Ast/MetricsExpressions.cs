using Threadline.Storage.Fetch;

namespace Threadline.Query.TraceQL.Ast;

/// <summary>A metrics query's value: series over time.</summary>
public abstract record MetricsExpression
{
    internal virtual string ToOperandString() => "(" + ToString() + ")";
}

/// <summary>
/// <c>selection | function(...) [by (...)] [| second stages]</c>: the spans the selection keeps,
/// turned into series by the first stage, then reshaped by each second stage in order.
/// </summary>
public sealed record MetricsPipeline(SpansetExpression Selection, MetricsFirstStage First, IReadOnlyList<MetricsSecondStage> SecondStages) : MetricsExpression
{
    public override string ToString() =>
        Selection + " | " + First + string.Concat(SecondStages.Select(s => s is MetricsFilter ? " " + s : " | " + s));

    public bool Equals(MetricsPipeline? other) =>
        other is not null && Selection.Equals(other.Selection) && First.Equals(other.First) && SecondStages.SequenceEqual(other.SecondStages);

    public override int GetHashCode() => HashCode.Combine(Selection, First, SecondStages.Count);
}

/// <summary><c>(a) op (b)</c> between two metrics expressions, series matched by labels.</summary>
public sealed record MetricsMath(ArithmeticOperator Operator, MetricsExpression Left, MetricsExpression Right) : MetricsExpression
{
    public override string ToString() => Left.ToOperandString() + " " + OperatorText.Of(Operator) + " " + Right.ToOperandString();
}

/// <summary><c>(a) op 2</c> or <c>2 op (a)</c>: every sample combined with a constant.</summary>
public sealed record MetricsScalarMath(ArithmeticOperator Operator, MetricsExpression Series, double Scalar, bool ScalarOnLeft) : MetricsExpression
{
    public override string ToString() => ScalarOnLeft
        ? LiteralText.Number(Scalar) + " " + OperatorText.Of(Operator) + " " + Series.ToOperandString()
        : Series.ToOperandString() + " " + OperatorText.Of(Operator) + " " + LiteralText.Number(Scalar);
}

/// <summary>Second stages applied to the result of metrics arithmetic: <c>(a) / (b) | topk(5)</c>.</summary>
public sealed record MetricsWithSecondStages(MetricsExpression Inner, IReadOnlyList<MetricsSecondStage> SecondStages) : MetricsExpression
{
    public override string ToString() => Inner + string.Concat(SecondStages.Select(s => s is MetricsFilter ? " " + s : " | " + s));

    public bool Equals(MetricsWithSecondStages? other) =>
        other is not null && Inner.Equals(other.Inner) && SecondStages.SequenceEqual(other.SecondStages);

    public override int GetHashCode() => HashCode.Combine(Inner, SecondStages.Count);
}

/// <summary>The stage that turns spans into series.</summary>
public abstract record MetricsFirstStage;

/// <summary>
/// <c>rate()</c>, <c>count_over_time()</c>, <c>min/max/sum/avg_over_time(field)</c>,
/// <c>quantile_over_time(field, q, …)</c>, <c>histogram_over_time(field)</c>, each with optional <c>by(...)</c>.
/// </summary>
public sealed record MetricsAggregate(MetricsFunction Function, FieldExpression? Field, IReadOnlyList<double> Quantiles, IReadOnlyList<FieldExpression> By) : MetricsFirstStage
{
    public override string ToString()
    {
        var arguments = Field is null ? string.Empty : Field.ToString();
        if (Function == MetricsFunction.QuantileOverTime) arguments += ", " + string.Join(", ", Quantiles.Select(LiteralText.Number));
        var by = By.Count == 0 ? string.Empty : " by (" + string.Join(", ", By) + ")";
        return OperatorText.Of(Function) + "(" + arguments + ")" + by;
    }

    public bool Equals(MetricsAggregate? other) =>
        other is not null && Function == other.Function && Equals(Field, other.Field)
        && Quantiles.SequenceEqual(other.Quantiles) && By.SequenceEqual(other.By);

    public override int GetHashCode() => HashCode.Combine(Function, Field, Quantiles.Count, By.Count);
}

/// <summary>
/// <c>compare({selection}, topN, start, end)</c>: attribute values of the selected spans against
/// the rest. <see cref="Start"/> and <see cref="End"/> (Unix ns, 0 for the query's range) bound the selection in time.
/// </summary>
public sealed record MetricsCompare(SpansetFilter Selection, int TopN, long Start, long End) : MetricsFirstStage
{
    /// <summary>Attribute values per attribute kept when the query gives no topN (Tempo's default).</summary>
    public const int DefaultTopN = 10;

    public override string ToString() =>
        Start == 0 && End == 0
            ? $"compare({Selection}, {TopN})"
            : $"compare({Selection}, {TopN}, {Start}, {End})";
}

/// <summary>A stage applied to series after the first stage.</summary>
public abstract record MetricsSecondStage;

/// <summary><c>topk(k)</c>: the k series with the highest values at each step.</summary>
public sealed record TopK(int K) : MetricsSecondStage
{
    public override string ToString() => $"topk({K})";
}

/// <summary><c>bottomk(k)</c>: the k series with the lowest values at each step.</summary>
public sealed record BottomK(int K) : MetricsSecondStage
{
    public override string ToString() => $"bottomk({K})";
}

/// <summary><c>&gt; 10</c> after a metrics function: keeps only samples for which the comparison holds.</summary>
public sealed record MetricsFilter(ComparisonOperator Operator, double Value) : MetricsSecondStage
{
    public override string ToString() => OperatorText.Of(Operator) + " " + LiteralText.Number(Value);
}

/// <summary>A hint from <c>with(name = value, …)</c>; engines act on hints they know and ignore the rest, as Tempo does.</summary>
public sealed record QueryHint(string Name, StaticValue Value)
{
    public override string ToString() => Name + " = " + LiteralText.Of(Value);
}
