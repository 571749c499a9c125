using Threadline.Storage.Fetch;

namespace Threadline.Query.TraceQL.Ast;

/// <summary>
/// An expression evaluated on one span inside <c>{ … }</c> (or as the argument of an aggregate,
/// <c>by()</c> or a metrics function). <see cref="object.ToString"/> prints canonical TraceQL.
/// </summary>
public abstract record FieldExpression
{
    /// <summary>The type the expression has whatever the span; <see cref="FieldType.Unknown"/> when it depends on attribute values.</summary>
    public abstract FieldType Type { get; }

    /// <summary>Prints the expression as an operand: bare when atomic, parenthesized otherwise.</summary>
    internal virtual string ToOperandString() => "(" + ToString() + ")";
}

/// <summary>A literal.</summary>
public sealed record StaticExpression(StaticValue Value) : FieldExpression
{
    public static StaticExpression True { get; } = new(StaticValue.Bool(true));

    public override FieldType Type => Value.Type switch
    {
        StaticType.String => FieldType.String,
        StaticType.Int => FieldType.Int,
        StaticType.Double => FieldType.Float,
        StaticType.Bool => FieldType.Bool,
        StaticType.Duration => FieldType.Duration,
        StaticType.Kind => FieldType.Kind,
        StaticType.Status => FieldType.Status,
        _ => FieldType.Unknown,
    };

    public override string ToString() => LiteralText.Of(Value);

    internal override string ToOperandString() => ToString();
}

/// <summary>An attribute: <c>span.http.method</c>, <c>resource.service.name</c>, <c>.key</c>, <c>parent.span.key</c>.</summary>
public sealed record AttributeExpression(AttributeScope Scope, string Name, bool Parent = false) : FieldExpression
{
    public override FieldType Type => FieldType.Unknown;

    public override string ToString()
    {
        var prefix = Parent ? "parent." : string.Empty;
        prefix += Scope == AttributeScope.None ? (Parent ? string.Empty : ".") : IntrinsicInfo.ScopeName(Scope) + ".";
        return prefix + LiteralText.AttributeName(Name);
    }

    internal override string ToOperandString() => ToString();
}

/// <summary>An intrinsic field: <c>duration</c>, <c>status</c>, <c>trace:rootService</c>, …</summary>
public sealed record IntrinsicExpression(Intrinsic Intrinsic) : FieldExpression
{
    public override FieldType Type => IntrinsicInfo.TypeOf(Intrinsic);

    public override string ToString() => IntrinsicInfo.CanonicalName(Intrinsic);

    internal override string ToOperandString() => ToString();
}

/// <summary><c>left op right</c>.</summary>
public sealed record BinaryExpression(BinaryOperator Operator, FieldExpression Left, FieldExpression Right) : FieldExpression
{
    public override FieldType Type => Operator switch
    {
        BinaryOperator.Add or BinaryOperator.Subtract or BinaryOperator.Multiply or BinaryOperator.Divide
            or BinaryOperator.Modulo or BinaryOperator.Power => ArithmeticType(Left.Type, Right.Type),
        _ => FieldType.Bool,
    };

    public override string ToString() => Left.ToOperandString() + " " + OperatorText.Of(Operator) + " " + Right.ToOperandString();

    private static FieldType ArithmeticType(FieldType left, FieldType right)
    {
        if (left == FieldType.Unknown || right == FieldType.Unknown) return FieldType.Unknown;
        if (left == FieldType.Duration || right == FieldType.Duration) return FieldType.Duration;
        if (left == FieldType.Float || right == FieldType.Float) return FieldType.Float;
        return left;
    }
}

/// <summary><c>!x</c>, <c>-x</c>, <c>x != nil</c>, <c>x = nil</c>.</summary>
public sealed record UnaryExpression(UnaryOperator Operator, FieldExpression Operand) : FieldExpression
{
    public override FieldType Type => Operator == UnaryOperator.Negate ? Operand.Type : FieldType.Bool;

    public override string ToString() => Operator switch
    {
        UnaryOperator.Not => "!" + Operand.ToOperandString(),
        UnaryOperator.Negate => "-" + Operand.ToOperandString(),
        UnaryOperator.Exists => Operand.ToOperandString() + " != nil",
        _ => Operand.ToOperandString() + " = nil",
    };
}
