using Threadline.Query.TraceQL.Ast;

namespace Threadline.Query.TraceQL.Syntax;

/// <summary>Which operators apply to which static types, after Tempo's rules, so that a query such as <c>{ duration = "x" }</c> fails at parse time.</summary>
internal static class FieldTypes
{
    public static bool IsNumeric(FieldType type) => type is FieldType.Int or FieldType.Float or FieldType.Duration;

    /// <summary>Whether two operands can meet in one binary operation.</summary>
    public static bool Match(FieldType left, FieldType right) =>
        left == FieldType.Unknown || right == FieldType.Unknown || left == right || (IsNumeric(left) && IsNumeric(right));

    /// <summary>Whether <paramref name="op"/> applies to a value of <paramref name="type"/>.</summary>
    public static bool Allows(BinaryOperator op, FieldType type) => type switch
    {
        FieldType.Unknown => true,
        FieldType.Bool => op is BinaryOperator.And or BinaryOperator.Or or BinaryOperator.Equal or BinaryOperator.NotEqual,
        FieldType.Int or FieldType.Float or FieldType.Duration => op is not (BinaryOperator.And or BinaryOperator.Or or BinaryOperator.Regex or BinaryOperator.NotRegex),
        FieldType.String => op is BinaryOperator.Equal or BinaryOperator.NotEqual or BinaryOperator.Regex or BinaryOperator.NotRegex
            or BinaryOperator.Less or BinaryOperator.LessOrEqual or BinaryOperator.Greater or BinaryOperator.GreaterOrEqual,
        FieldType.Status or FieldType.Kind => op is BinaryOperator.Equal or BinaryOperator.NotEqual,
        _ => false,
    };

    public static string Describe(FieldType type) => type switch
    {
        FieldType.String => "a string",
        FieldType.Int => "an integer",
        FieldType.Float => "a float",
        FieldType.Bool => "a boolean",
        FieldType.Duration => "a duration",
        FieldType.Status => "a status",
        FieldType.Kind => "a span kind",
        FieldType.Nil => "nil",
        _ => "a value",
    };
}
