using Threadline.Core.Model;
using Threadline.Query.TraceQL.Ast;
using Threadline.Storage.Fetch;

namespace Threadline.Query.TraceQL.Evaluation;

/// <summary>
/// The spans of one trace as a fetch returned them: intrinsic fields of the span and trace, and
/// the attributes the request named. The planner sends here only queries that need nothing else.
/// </summary>
internal sealed class FetchedSpans(Spanset spanset) : ISpanView
{
    public int Count => spanset.Spans.Count;
    public TraceId TraceId => spanset.TraceId;
    public string RootServiceName => spanset.RootServiceName;
    public string RootSpanName => spanset.RootSpanName;
    public ulong TraceStartUnixNano => spanset.TraceStartUnixNano;
    public ulong TraceDurationNanos => spanset.TraceEndUnixNano - spanset.TraceStartUnixNano;

    public SpanId SpanId(int span) => spanset.Spans[span].SpanId;
    public string Name(int span) => spanset.Spans[span].Name;
    public ulong StartUnixNano(int span) => spanset.Spans[span].StartTimeUnixNano;
    public ulong DurationNanos(int span) => spanset.Spans[span].DurationNanos;
    public int Parent(int span) => -1;

    public FieldValue Intrinsic(int span, Intrinsic intrinsic)
    {
        var s = spanset.Spans[span];
        return intrinsic switch
        {
            Ast.Intrinsic.Duration => FieldValue.Of(StaticValue.Duration(s.DurationNanos)),
            Ast.Intrinsic.Name => FieldValue.Of(StaticValue.String(s.Name)),
            Ast.Intrinsic.Status => FieldValue.Of(StaticValue.Status(s.Status.Code)),
            Ast.Intrinsic.StatusMessage => FieldValue.Of(StaticValue.String(s.Status.Message)),
            Ast.Intrinsic.Kind => FieldValue.Of(StaticValue.Kind(s.Kind)),
            Ast.Intrinsic.SpanId => FieldValue.Of(StaticValue.String(s.SpanId.ToString())),
            Ast.Intrinsic.ParentId => s.ParentSpanId.IsEmpty ? FieldValue.Nil : FieldValue.Of(StaticValue.String(s.ParentSpanId.ToString())),
            Ast.Intrinsic.TraceId => FieldValue.Of(StaticValue.String(spanset.TraceId.ToString())),
            Ast.Intrinsic.TraceDuration => FieldValue.Of(StaticValue.Duration(TraceDurationNanos)),
            Ast.Intrinsic.TraceRootName => FieldValue.Of(StaticValue.String(spanset.RootSpanName)),
            Ast.Intrinsic.TraceRootService => FieldValue.Of(StaticValue.String(spanset.RootServiceName)),
            _ => FieldValue.Nil,
        };
    }

    public FieldValue Attribute(int span, AttributeExpression attribute)
    {
        if (attribute.Parent || !FetchableFields.TryScope(attribute.Scope, out var scope)) return FieldValue.Nil;
        foreach (var fetched in spanset.Spans[span].Attributes)
        {
            if (fetched.Scope == scope && fetched.Name == attribute.Name) return FieldValue.Of(fetched.Value);
        }
        return FieldValue.Nil;
    }
}

/// <summary>Which fields a fetched spanset holds, so that the planner knows when spans alone are enough.</summary>
internal static class FetchableFields
{
    public static bool TryScope(AttributeScope scope, out ConditionScope conditionScope)
    {
        conditionScope = scope switch
        {
            AttributeScope.None => ConditionScope.Any,
            AttributeScope.Span => ConditionScope.Span,
            AttributeScope.Resource => ConditionScope.Resource,
            _ => ConditionScope.Intrinsic,
        };
        return conditionScope != ConditionScope.Intrinsic;
    }

    /// <summary>Whether a fetched span answers this field exactly.</summary>
    public static bool Holds(FieldExpression field) => field switch
    {
        AttributeExpression a => !a.Parent && TryScope(a.Scope, out _),
        IntrinsicExpression i => i.Intrinsic is Intrinsic.Duration or Intrinsic.Name or Intrinsic.Status or Intrinsic.StatusMessage
            or Intrinsic.Kind or Intrinsic.SpanId or Intrinsic.ParentId or Intrinsic.TraceId or Intrinsic.TraceDuration
            or Intrinsic.TraceRootName or Intrinsic.TraceRootService,
        BinaryExpression b => Holds(b.Left) && Holds(b.Right),
        UnaryExpression u => Holds(u.Operand),
        _ => true,
    };
}
