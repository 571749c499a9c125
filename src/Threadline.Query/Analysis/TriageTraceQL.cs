using Threadline.Core.Analysis.Triage;
using Threadline.Core.Model;
using Threadline.Query.TraceQL.Ast;
using Threadline.Storage.Fetch;

namespace Threadline.Query.Analysis;

/// <summary>
/// The TraceQL query that finds the spans carrying a triaged value, for a UI to put in its search
/// box: <c>{ span.payment.method = "amex" }</c>, <c>{ name = "charge card" }</c>, or for a bucket
/// <c>{ span.payment.amount_cents &gt;= 100 &amp;&amp; span.payment.amount_cents &lt; 200 }</c>.
/// Names and values are printed by <see cref="LiteralText"/>, so the parser reads them back unchanged.
/// </summary>
public static class TriageTraceQL
{
    public static string Of(TriageAttribute attribute)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        var field = attribute.Scope switch
        {
            TriageScope.Intrinsic => attribute.Key,
            TriageScope.Resource => "resource." + LiteralText.AttributeName(attribute.Key),
            _ => "span." + LiteralText.AttributeName(attribute.Key),
        };
        var value = attribute.Value;
        if (!value.IsRange) return $"{{ {field} = {Literal(value.Exact)} }}";
        if (double.IsNegativeInfinity(value.Low)) return $"{{ {field} <= {Number(value.High)} }}";
        return $"{{ {field} >= {Number(value.Low)} && {field} < {Number(value.High)} }}";
    }

    private static string Literal(AttributeValue value) => value.Type switch
    {
        AttributeType.String => LiteralText.Quote(value.AsString()),
        AttributeType.Int => LiteralText.Of(StaticValue.Int(value.AsInt())),
        AttributeType.Double => LiteralText.Number(value.AsDouble()),
        AttributeType.Bool => value.AsBool() ? "true" : "false",
        _ => LiteralText.Quote(value.ToString()),
    };

    // Whole bounds as integers (an integer attribute then compares with an integer literal), others as floats.
    private static string Number(double bound) =>
        bound == Math.Floor(bound) && Math.Abs(bound) < 9e15 ? LiteralText.Of(StaticValue.Int((long)bound)) : LiteralText.Number(bound);
}
