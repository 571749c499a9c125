using Threadline.Storage.Fetch;

namespace Threadline.Query.TraceQL.Ast;

/// <summary>A number computed per spanset: an aggregate, a literal, or arithmetic over them.</summary>
public abstract record ScalarExpression
{
    internal virtual string ToOperandString() => "(" + ToString() + ")";
}

/// <summary><c>count()</c>, <c>avg(field)</c>, <c>min(field)</c>, <c>max(field)</c>, <c>sum(field)</c>.</summary>
public sealed record Aggregate(AggregateFunction Function, FieldExpression? Field) : ScalarExpression
{
    /// <summary>The result's name as Tempo gives it in a spanset's attributes: <c>count()</c>, <c>avg(duration)</c>.</summary>
    public override string ToString() => OperatorText.Of(Function) + "(" + Field + ")";

    internal override string ToOperandString() => ToString();
}

/// <summary>A numeric or duration literal.</summary>
public sealed record ScalarLiteral(StaticValue Value) : ScalarExpression
{
    public override string ToString() => LiteralText.Of(Value);

    internal override string ToOperandString() => ToString();
}

/// <summary><c>left op right</c> over scalars.</summary>
public sealed record ScalarOperation(ArithmeticOperator Operator, ScalarExpression Left, ScalarExpression Right) : ScalarExpression
{
    public override string ToString() => Left.ToOperandString() + " " + OperatorText.Of(Operator) + " " + Right.ToOperandString();
}
