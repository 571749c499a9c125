namespace Threadline.Query.TraceQL.Ast;

/// <summary>
/// One element of a pipeline (<c>a | b | c</c>): each maps the spansets of a trace to new
/// spansets. <see cref="object.ToString"/> prints canonical TraceQL.
/// </summary>
public abstract record PipelineStage
{
    /// <summary>Prints the stage as an operand of a spanset operator: bare when atomic, parenthesized otherwise.</summary>
    internal virtual string ToOperandString() => "(" + ToString() + ")";
}

/// <summary>A stage that selects spans: a filter, an operation over two spanset expressions, or a whole pipeline.</summary>
public abstract record SpansetExpression : PipelineStage;

/// <summary><c>{ condition }</c>: the spans for which the condition is true; <c>{ }</c> matches every span.</summary>
public sealed record SpansetFilter(FieldExpression Condition) : SpansetExpression
{
    /// <summary><c>{ }</c>.</summary>
    public static SpansetFilter All { get; } = new(StaticExpression.True);

    public bool MatchesAll => Condition == StaticExpression.True;

    public override string ToString() => MatchesAll ? "{ }" : "{ " + Condition + " }";

    internal override string ToOperandString() => ToString();
}

/// <summary><c>left op right</c> over spansets: logical (<c>&amp;&amp; ||</c>) or structural (<c>&gt; &gt;&gt; ~ …</c>).</summary>
public sealed record SpansetOperation(SpansetOperator Operator, SpansetExpression Left, SpansetExpression Right) : SpansetExpression
{
    public override string ToString() => Left.ToOperandString() + " " + OperatorText.Of(Operator) + " " + Right.ToOperandString();
}

/// <summary><c>stage | stage | …</c>, applied left to right.</summary>
public sealed record Pipeline(IReadOnlyList<PipelineStage> Stages) : SpansetExpression
{
    public override string ToString() => string.Join(" | ", Stages.Select(s => s is Pipeline ? s.ToOperandString() : s.ToString()));

    // Value equality over the stages, so that two parses of one query compare equal.
    public bool Equals(Pipeline? other) => other is not null && Stages.SequenceEqual(other.Stages);

    public override int GetHashCode() => Stages.Count == 0 ? 0 : HashCode.Combine(Stages.Count, Stages[0]);
}

/// <summary><c>aggregate op value</c> (e.g. <c>count() &gt; 2</c>): keeps the spansets for which the comparison holds.</summary>
public sealed record ScalarFilter(ComparisonOperator Operator, ScalarExpression Left, ScalarExpression Right) : PipelineStage
{
    public override string ToString() => Left.ToOperandString() + " " + OperatorText.Of(Operator) + " " + Right.ToOperandString();
}

/// <summary><c>by(field)</c>: splits each spanset by the field's value.</summary>
public sealed record GroupBy(FieldExpression Field) : PipelineStage
{
    public override string ToString() => "by(" + Field + ")";
}

/// <summary><c>coalesce()</c>: merges the spansets of a trace into one.</summary>
public sealed record Coalesce : PipelineStage
{
    public static Coalesce Instance { get; } = new();

    public override string ToString() => "coalesce()";
}

/// <summary><c>select(a, b)</c>: adds the fields to the spans' returned attributes.</summary>
public sealed record Select(IReadOnlyList<FieldExpression> Fields) : PipelineStage
{
    public override string ToString() => "select(" + string.Join(", ", Fields) + ")";

    public bool Equals(Select? other) => other is not null && Fields.SequenceEqual(other.Fields);

    public override int GetHashCode() => Fields.Count;
}
