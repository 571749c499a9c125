namespace Threadline.Query.TraceQL.Ast;

/// <summary>A binary operator inside a spanset filter <c>{ … }</c>.</summary>
public enum BinaryOperator : byte
{
    And,
    Or,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Regex,
    NotRegex,
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
    Power,
}

/// <summary>A unary operator inside a spanset filter.</summary>
public enum UnaryOperator : byte
{
    /// <summary><c>!x</c></summary>
    Not,

    /// <summary><c>-x</c></summary>
    Negate,

    /// <summary><c>x != nil</c></summary>
    Exists,

    /// <summary><c>x = nil</c></summary>
    NotExists,
}

/// <summary>An operator joining two spanset expressions.</summary>
public enum SpansetOperator : byte
{
    /// <summary><c>&amp;&amp;</c>: both sides matched; their spans together.</summary>
    And,

    /// <summary><c>||</c>: either side matched; their spans together.</summary>
    Union,

    /// <summary><c>&gt;</c>: right-hand spans whose parent matched the left.</summary>
    Child,

    /// <summary><c>&lt;</c>: right-hand spans with a child that matched the left.</summary>
    Parent,

    /// <summary><c>&gt;&gt;</c>: right-hand spans with an ancestor that matched the left.</summary>
    Descendant,

    /// <summary><c>&lt;&lt;</c>: right-hand spans with a descendant that matched the left.</summary>
    Ancestor,

    /// <summary><c>~</c>: right-hand spans with a sibling that matched the left.</summary>
    Sibling,

    NotChild,
    NotParent,
    NotDescendant,
    NotAncestor,
    NotSibling,
    UnionChild,
    UnionParent,
    UnionDescendant,
    UnionAncestor,
    UnionSibling,
}

/// <summary>A comparison of two scalars (aggregates, metrics values, literals).</summary>
public enum ComparisonOperator : byte
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// <summary>Arithmetic between scalars or metrics series.</summary>
public enum ArithmeticOperator : byte
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
    Power,
}

/// <summary>A spanset aggregate: <c>count()</c>, <c>avg(f)</c>, …</summary>
public enum AggregateFunction : byte
{
    Count,
    Avg,
    Min,
    Max,
    Sum,
}

/// <summary>A metrics function, the first stage of a metrics query.</summary>
public enum MetricsFunction : byte
{
    Rate,
    CountOverTime,
    MinOverTime,
    MaxOverTime,
    SumOverTime,
    AvgOverTime,
    QuantileOverTime,
    HistogramOverTime,
}

/// <summary>How operators are spelled.</summary>
public static class OperatorText
{
    public static string Of(BinaryOperator op) => op switch
    {
        BinaryOperator.And => "&&",
        BinaryOperator.Or => "||",
        BinaryOperator.Equal => "=",
        BinaryOperator.NotEqual => "!=",
        BinaryOperator.Less => "<",
        BinaryOperator.LessOrEqual => "<=",
        BinaryOperator.Greater => ">",
        BinaryOperator.GreaterOrEqual => ">=",
        BinaryOperator.Regex => "=~",
        BinaryOperator.NotRegex => "!~",
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        BinaryOperator.Divide => "/",
        BinaryOperator.Modulo => "%",
        BinaryOperator.Power => "^",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    public static string Of(SpansetOperator op) => op switch
    {
        SpansetOperator.And => "&&",
        SpansetOperator.Union => "||",
        SpansetOperator.Child => ">",
        SpansetOperator.Parent => "<",
        SpansetOperator.Descendant => ">>",
        SpansetOperator.Ancestor => "<<",
        SpansetOperator.Sibling => "~",
        SpansetOperator.NotChild => "!>",
        SpansetOperator.NotParent => "!<",
        SpansetOperator.NotDescendant => "!>>",
        SpansetOperator.NotAncestor => "!<<",
        SpansetOperator.NotSibling => "!~",
        SpansetOperator.UnionChild => "&>",
        SpansetOperator.UnionParent => "&<",
        SpansetOperator.UnionDescendant => "&>>",
        SpansetOperator.UnionAncestor => "&<<",
        SpansetOperator.UnionSibling => "&~",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    public static string Of(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => "=",
        ComparisonOperator.NotEqual => "!=",
        ComparisonOperator.Less => "<",
        ComparisonOperator.LessOrEqual => "<=",
        ComparisonOperator.Greater => ">",
        ComparisonOperator.GreaterOrEqual => ">=",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    public static string Of(ArithmeticOperator op) => op switch
    {
        ArithmeticOperator.Add => "+",
        ArithmeticOperator.Subtract => "-",
        ArithmeticOperator.Multiply => "*",
        ArithmeticOperator.Divide => "/",
        ArithmeticOperator.Modulo => "%",
        ArithmeticOperator.Power => "^",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    public static string Of(AggregateFunction function) => function switch
    {
        AggregateFunction.Count => "count",
        AggregateFunction.Avg => "avg",
        AggregateFunction.Min => "min",
        AggregateFunction.Max => "max",
        AggregateFunction.Sum => "sum",
        _ => throw new ArgumentOutOfRangeException(nameof(function)),
    };

    public static string Of(MetricsFunction function) => function switch
    {
        MetricsFunction.Rate => "rate",
        MetricsFunction.CountOverTime => "count_over_time",
        MetricsFunction.MinOverTime => "min_over_time",
        MetricsFunction.MaxOverTime => "max_over_time",
        MetricsFunction.SumOverTime => "sum_over_time",
        MetricsFunction.AvgOverTime => "avg_over_time",
        MetricsFunction.QuantileOverTime => "quantile_over_time",
        MetricsFunction.HistogramOverTime => "histogram_over_time",
        _ => throw new ArgumentOutOfRangeException(nameof(function)),
    };
}
