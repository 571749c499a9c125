using Threadline.Core.Model;
using Threadline.Storage.ClickHouse.Sql;
using Threadline.Storage.Fetch;

namespace Threadline.Storage.ClickHouse.Reads;

/// <summary>
/// Turns the fetch primitive's conditions and a search's filters into SQL over the spans
/// table. The SQL may select more spans than the conditions do, never fewer: the engine then
/// evaluates exactly (<see cref="SpanMatching"/>) on the decoded spans. So what SQL cannot say
/// with the same semantics as <see cref="ConditionEvaluator"/> (regular expressions, ordered
/// string comparisons, where UTF-8 and UTF-16 order differ, values of arrays and key-value lists)
/// is left to that exact pass: such a condition becomes <c>1</c>, or tests only that the key exists.
/// </summary>
internal static class ConditionSql
{
    private const string AnySpan = "1";

    /// <summary>The conditions joined by AND (<paramref name="all"/>) or OR; <c>1</c> when nothing filters.</summary>
    public static string Where(IReadOnlyList<Condition> conditions, bool all)
    {
        var parts = new List<string>();
        foreach (var condition in conditions)
        {
            if (!condition.Filters) continue;
            var sql = For(condition);
            if (all)
            {
                if (sql != AnySpan) parts.Add(sql);
            }
            else
            {
                // Any condition that cannot be pushed lets every span through an OR.
                if (sql == AnySpan) return AnySpan;
                parts.Add(sql);
            }
        }
        if (parts.Count == 0) return AnySpan;
        return "(" + string.Join(all ? " AND " : " OR ", parts) + ")";
    }

    /// <summary>One condition as SQL, or <c>1</c> when it is left to the exact pass.</summary>
    public static string For(Condition condition)
    {
        if (!condition.Filters) return AnySpan;
        if (condition.Operand is { Type: StaticType.String } s && !SqlLiteral.Fits(s.AsString())) return AnySpan;
        if (!SqlLiteral.Fits(condition.Name)) return AnySpan;
        return condition.Scope switch
        {
            ConditionScope.Intrinsic => Intrinsic(condition),
            ConditionScope.Span => Attribute("span", condition),
            ConditionScope.Resource => Attribute("res", condition),
            ConditionScope.Any => Or(Attribute("span", condition), Attribute("res", condition)),
            ConditionScope.Event => $"has(event_keys, {SqlLiteral.String(condition.Name)})",
            ConditionScope.Link => $"has(link_keys, {SqlLiteral.String(condition.Name)})",
            _ => AnySpan,
        };
    }

    private static string Intrinsic(Condition condition)
    {
        var operand = condition.Operand!.Value;
        var column = condition.Name switch
        {
            Intrinsics.Name => "name",
            Intrinsics.StatusMessage => "status_message",
            Intrinsics.ServiceName => "service_name",
            Intrinsics.Duration => "duration_ns",
            Intrinsics.Kind => "kind",
            Intrinsics.Status => "status_code",
            _ => null,
        };
        if (column is null) return AnySpan;
        return operand.Type switch
        {
            StaticType.String => StringComparison(column, condition.Operator, operand.AsString()) ?? AnySpan,
            StaticType.Duration => Ordered(column, condition.Operator, SqlLiteral.UInt(operand.AsDuration())) ?? AnySpan,
            StaticType.Kind => Equality(column, condition.Operator, SqlLiteral.Int((long)operand.AsKind())) ?? AnySpan,
            StaticType.Status => Equality(column, condition.Operator, SqlLiteral.Int((long)operand.AsStatus())) ?? AnySpan,
            _ => AnySpan,
        };
    }

    private static string Attribute(string prefix, Condition condition)
    {
        var key = SqlLiteral.String(condition.Name);
        // Arrays and key-value lists match element-wise, and their elements are only in the body.
        var other = $"has({prefix}_other_keys, {key})";
        if (condition.Operator == ConditionOperator.Exists)
        {
            return $"(has({prefix}_str_keys, {key}) OR has({prefix}_int_keys, {key}) OR has({prefix}_dbl_keys, {key}) " +
                $"OR has({prefix}_bool_keys, {key}) OR {other})";
        }
        var operand = condition.Operand!.Value;
        string? typed = operand.Type switch
        {
            StaticType.String => Pair(prefix, "str", key, StringComparison("v", condition.Operator, operand.AsString())),
            StaticType.Bool => Pair(prefix, "bool", key, Equality("v", condition.Operator, operand.AsBool() ? "1" : "0")),
            StaticType.Int => Or(
                Pair(prefix, "int", key, Ordered("v", condition.Operator, SqlLiteral.Int(operand.AsInt()))),
                Pair(prefix, "dbl", key, Ordered("v", condition.Operator, SqlLiteral.Double(operand.AsInt())))),
            StaticType.Double => Or(
                // As the evaluator does: an integer attribute against a double operand compares as doubles.
                Pair(prefix, "int", key, Ordered("toFloat64(v)", condition.Operator, SqlLiteral.Double(operand.AsDouble()))),
                Pair(prefix, "dbl", key, Ordered("v", condition.Operator, SqlLiteral.Double(operand.AsDouble())))),
            _ => null,
        };
        // No typed test means only the exact pass can decide; the key must still be there.
        return typed is null ? AnySpan : Or(typed, other);
    }

    // Some key/value pair of one type passes the test on v.
    private static string Pair(string prefix, string type, string key, string? test) =>
        test is null ? $"has({prefix}_{type}_keys, {key})"
            : $"arrayExists((k, v) -> k = {key} AND {test}, {prefix}_{type}_keys, {prefix}_{type}_values)";

    private static string? StringComparison(string column, ConditionOperator op, string value) => op switch
    {
        ConditionOperator.Equal => $"{column} = {SqlLiteral.String(value)}",
        ConditionOperator.NotEqual => $"{column} != {SqlLiteral.String(value)}",
        _ => null,
    };

    private static string? Equality(string column, ConditionOperator op, string literal) => op switch
    {
        ConditionOperator.Equal => $"{column} = {literal}",
        ConditionOperator.NotEqual => $"{column} != {literal}",
        _ => null,
    };

    private static string? Ordered(string column, ConditionOperator op, string literal) => op switch
    {
        ConditionOperator.Equal => $"{column} = {literal}",
        // NaN is unequal to everything in SQL but fails every test in the evaluator: a superset, as allowed.
        ConditionOperator.NotEqual => $"{column} != {literal}",
        ConditionOperator.Less => $"{column} < {literal}",
        ConditionOperator.LessOrEqual => $"{column} <= {literal}",
        ConditionOperator.Greater => $"{column} > {literal}",
        ConditionOperator.GreaterOrEqual => $"{column} >= {literal}",
        _ => null,
    };

    private static string Or(string a, string b) => a == AnySpan || b == AnySpan ? AnySpan : $"({a} OR {b})";
}
