using Threadline.Core.Model;
using Threadline.Query.TraceQL.Ast;
using Threadline.Query.TraceQL.Syntax;
using Threadline.Storage.Fetch;

namespace Threadline.Query.TraceQL.Evaluation;

/// <summary>
/// Comparison and arithmetic on field values, with the store's rules (so that pruning in an
/// engine and exact evaluation here agree): integers, floats and durations compare as numbers,
/// strings ordinally with strings only, booleans, kinds and statuses by equality only; a missing
/// value or one of another type satisfies no comparison, not even <c>!=</c>. Against a
/// many-valued field, <c>= =~ &lt; &gt; …</c> hold when any element does, <c>!= !~</c> when none
/// satisfies the positive form (Tempo's array rules).
/// </summary>
internal static class ValueComparer
{
    public static bool Compare(BinaryOperator op, FieldValue left, FieldValue right)
    {
        if (!left.IsPresent || !right.IsPresent) return false;
        if (left.Many is { } lefts)
        {
            var positive = Positive(op);
            foreach (var element in lefts)
            {
                if (FieldValue.TryScalar(element, out var scalar) && CompareScalars(positive, scalar, right.Value))
                    return op == positive;
            }
            return op != positive;
        }
        if (right.Many is { } rights)
        {
            var positive = Positive(op);
            foreach (var element in rights)
            {
                if (FieldValue.TryScalar(element, out var scalar) && CompareScalars(positive, left.Value, scalar))
                    return op == positive;
            }
            return op != positive;
        }
        return CompareScalars(op, left.Value, right.Value);
    }

    /// <summary>Whether <paramref name="value"/> (one string, or any string among many) matches; negated for <c>!~</c> as Tempo's arrays are.</summary>
    public static bool Matches(BinaryOperator op, FieldValue value, System.Text.RegularExpressions.Regex pattern)
    {
        if (!value.IsPresent) return false;
        var negate = op == BinaryOperator.NotRegex;
        if (value.Many is { } many)
        {
            foreach (var element in many)
            {
                if (element.Type == AttributeType.String && pattern.IsMatch(element.AsString())) return !negate;
            }
            return negate;
        }
        if (value.Value.Type != StaticType.String) return false;
        return pattern.IsMatch(value.Value.AsString()) != negate;
    }

    private static BinaryOperator Positive(BinaryOperator op) => op switch
    {
        BinaryOperator.NotEqual => BinaryOperator.Equal,
        _ => op,
    };

    private static bool CompareScalars(BinaryOperator op, StaticValue left, StaticValue right)
    {
        if (!TryOrder(left, right, out var order, out var ordered)) return false;
        return op switch
        {
            BinaryOperator.Equal => order == 0,
            BinaryOperator.NotEqual => order != 0,
            BinaryOperator.Less => ordered && order < 0,
            BinaryOperator.LessOrEqual => ordered && order <= 0,
            BinaryOperator.Greater => ordered && order > 0,
            BinaryOperator.GreaterOrEqual => ordered && order >= 0,
            _ => false,
        };
    }

    /// <summary>The order of two scalars; false when they cannot be compared at all, <paramref name="ordered"/> false when only equality applies.</summary>
    public static bool TryOrder(StaticValue left, StaticValue right, out int order, out bool ordered)
    {
        ordered = true;
        order = 0;
        if (IsNumber(left) && IsNumber(right))
        {
            if (left.Type == right.Type && left.Type == StaticType.Int) order = left.AsInt().CompareTo(right.AsInt());
            else if (left.Type == right.Type && left.Type == StaticType.Duration) order = left.AsDuration().CompareTo(right.AsDuration());
            else
            {
                double a = ToNumber(left), b = ToNumber(right);
                if (double.IsNaN(a) || double.IsNaN(b)) return false;
                order = a.CompareTo(b);
            }
            return true;
        }
        if (left.Type != right.Type) return false;
        switch (left.Type)
        {
            case StaticType.String:
                order = string.CompareOrdinal(left.AsString(), right.AsString());
                return true;
            default:
                ordered = false;
                order = left.Equals(right) ? 0 : 1;
                return true;
        }
    }

    public static bool IsNumber(StaticValue value) => value.Type is StaticType.Int or StaticType.Double or StaticType.Duration;

    public static double ToNumber(StaticValue value) => value.Type switch
    {
        StaticType.Int => value.AsInt(),
        StaticType.Double => value.AsDouble(),
        StaticType.Duration => value.AsDuration(),
        _ => double.NaN,
    };

    /// <summary>
    /// Arithmetic on two single numbers: integers stay integers (division by zero gives nothing),
    /// durations stay durations where the result is one (sums, differences, scaling), anything
    /// else is a float.
    /// </summary>
    public static FieldValue Arithmetic(ArithmeticOperator op, FieldValue left, FieldValue right)
    {
        if (!left.IsSingle || !right.IsSingle || !IsNumber(left.Value) || !IsNumber(right.Value)) return FieldValue.Nil;
        StaticValue a = left.Value, b = right.Value;
        if (a.Type == StaticType.Int && b.Type == StaticType.Int)
        {
            long x = a.AsInt(), y = b.AsInt();
            try
            {
                switch (op)
                {
                    case ArithmeticOperator.Add: return FieldValue.Of(StaticValue.Int(checked(x + y)));
                    case ArithmeticOperator.Subtract: return FieldValue.Of(StaticValue.Int(checked(x - y)));
                    case ArithmeticOperator.Multiply: return FieldValue.Of(StaticValue.Int(checked(x * y)));
                    case ArithmeticOperator.Divide: return y == 0 ? FieldValue.Nil : FieldValue.Of(StaticValue.Int(x / y));
                    case ArithmeticOperator.Modulo: return y == 0 ? FieldValue.Nil : FieldValue.Of(StaticValue.Int(x % y));
                }
            }
            catch (OverflowException)
            {
                // Past the integer range the result is a float, as a float operand would make it.
            }
        }
        var result = ScalarArithmetic.Apply(op, ToNumber(a), ToNumber(b));
        var keepsDuration = (a.Type, b.Type, op) switch
        {
            (StaticType.Duration, StaticType.Duration, ArithmeticOperator.Add or ArithmeticOperator.Subtract or ArithmeticOperator.Modulo) => true,
            (StaticType.Duration, not StaticType.Duration, ArithmeticOperator.Multiply or ArithmeticOperator.Divide) => true,
            (not StaticType.Duration, StaticType.Duration, ArithmeticOperator.Multiply) => true,
            _ => false,
        };
        if (keepsDuration && result >= 0 && result <= long.MaxValue) return FieldValue.Of(StaticValue.Duration((ulong)result));
        return double.IsNaN(result) ? FieldValue.Nil : FieldValue.Of(StaticValue.Double(result));
    }

    public static ArithmeticOperator ToArithmetic(BinaryOperator op) => op switch
    {
        BinaryOperator.Add => ArithmeticOperator.Add,
        BinaryOperator.Subtract => ArithmeticOperator.Subtract,
        BinaryOperator.Multiply => ArithmeticOperator.Multiply,
        BinaryOperator.Divide => ArithmeticOperator.Divide,
        BinaryOperator.Modulo => ArithmeticOperator.Modulo,
        _ => ArithmeticOperator.Power,
    };

    public static BinaryOperator ToBinary(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => BinaryOperator.Equal,
        ComparisonOperator.NotEqual => BinaryOperator.NotEqual,
        ComparisonOperator.Less => BinaryOperator.Less,
        ComparisonOperator.LessOrEqual => BinaryOperator.LessOrEqual,
        ComparisonOperator.Greater => BinaryOperator.Greater,
        _ => BinaryOperator.GreaterOrEqual,
    };
}
