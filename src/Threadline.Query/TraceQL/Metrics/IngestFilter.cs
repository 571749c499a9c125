using Threadline.Query.TraceQL.Ast;
using Threadline.Storage.Aggregates;
using Threadline.Storage.Fetch;

namespace Threadline.Query.TraceQL.Metrics;

/// <summary>
/// Turns a spanset selection into a test on an ingest-time span-metrics key when it can be
/// answered from the key exactly: <c>{ }</c>, or <c>&amp;&amp;</c>, <c>||</c> and <c>!</c> over
/// <c>resource.service.name</c>, <c>name</c>, <c>kind</c> and <c>status</c> compared with
/// <c>=</c> or <c>!=</c> to a literal of their own type. Anything else (other fields, regular
/// expressions, structural operators, pipelines) is left to the scan path.
/// </summary>
internal static class IngestFilter
{
    public static Func<SpanMetricsKey, bool>? From(SpansetExpression selection)
    {
        while (selection is Pipeline { Stages: [SpansetExpression only] }) selection = only;
        return selection is SpansetFilter filter ? From(filter.Condition) : null;
    }

    private static Func<SpanMetricsKey, bool>? From(FieldExpression condition)
    {
        switch (condition)
        {
            case StaticExpression { Value: { Type: StaticType.Bool } value }:
                var constant = value.AsBool();
                return _ => constant;
            case UnaryExpression { Operator: UnaryOperator.Not } not:
                return From(not.Operand) is { } inner ? k => !inner(k) : null;
            case BinaryExpression { Operator: BinaryOperator.And } and:
                return From(and.Left) is { } l && From(and.Right) is { } r ? k => l(k) && r(k) : null;
            case BinaryExpression { Operator: BinaryOperator.Or } or:
                return From(or.Left) is { } l2 && From(or.Right) is { } r2 ? k => l2(k) || r2(k) : null;
            case BinaryExpression { Operator: BinaryOperator.Equal or BinaryOperator.NotEqual } comparison:
                var test = Equality(comparison.Left, comparison.Right) ?? Equality(comparison.Right, comparison.Left);
                if (test is null) return null;
                return comparison.Operator == BinaryOperator.Equal ? test : k => !test(k);
            default:
                return null;
        }
    }

    private static Func<SpanMetricsKey, bool>? Equality(FieldExpression field, FieldExpression literal)
    {
        if (literal is not StaticExpression { Value: var value }) return null;
        return (field, value.Type) switch
        {
            (AttributeExpression { Scope: AttributeScope.Resource, Name: "service.name", Parent: false }, StaticType.String) =>
                k => k.ServiceName == value.AsString(),
            (IntrinsicExpression { Intrinsic: Intrinsic.Name }, StaticType.String) => k => k.SpanName == value.AsString(),
            (IntrinsicExpression { Intrinsic: Intrinsic.Kind }, StaticType.Kind) => k => k.Kind == value.AsKind(),
            (IntrinsicExpression { Intrinsic: Intrinsic.Status }, StaticType.Status) => k => k.StatusCode == value.AsStatus(),
            _ => null,
        };
    }
}
