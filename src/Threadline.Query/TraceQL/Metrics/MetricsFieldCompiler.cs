using Threadline.Query.TraceQL.Ast;
using Threadline.Storage.Fetch;

namespace Threadline.Query.TraceQL.Metrics;

/// <summary>Maps a field of the query (a <c>by()</c> label or a function's argument) to what the metrics paths read.</summary>
internal static class MetricsFieldCompiler
{
    /// <exception cref="TraceQLQueryException">The field cannot be read per span in a metrics query; the message names it.</exception>
    public static MetricsField Compile(FieldExpression expression, string role)
    {
        var label = expression.ToString();
        switch (expression)
        {
            case AttributeExpression { Parent: true }:
                throw new TraceQLQueryException($"{role} {label}: parent attributes are not supported in metrics queries; group by the span's own fields.");
            case AttributeExpression attribute:
                return MetricsField.Attribute(label, Scope(attribute, label, role), attribute.Name);
            case IntrinsicExpression intrinsic:
                return new MetricsField(label, Source(intrinsic.Intrinsic, label, role));
            default:
                throw new TraceQLQueryException($"{role} {label}: expected an attribute or an intrinsic field such as duration, name or resource.service.name.");
        }
    }

    private static ConditionScope Scope(AttributeExpression attribute, string label, string role) => attribute.Scope switch
    {
        AttributeScope.None => ConditionScope.Any,
        AttributeScope.Span => ConditionScope.Span,
        AttributeScope.Resource => ConditionScope.Resource,
        AttributeScope.Event => ConditionScope.Event,
        AttributeScope.Link => ConditionScope.Link,
        _ => throw new TraceQLQueryException($"{role} {label}: {Ast.Intrinsics.ScopeName(attribute.Scope)} attributes are not supported in metrics queries."),
    };

    private static MetricsFieldSource Source(Intrinsic intrinsic, string label, string role) => intrinsic switch
    {
        Intrinsic.Duration => MetricsFieldSource.SpanDuration,
        Intrinsic.Name => MetricsFieldSource.SpanName,
        Intrinsic.Status => MetricsFieldSource.SpanStatus,
        Intrinsic.StatusMessage => MetricsFieldSource.StatusMessage,
        Intrinsic.Kind => MetricsFieldSource.SpanKind,
        Intrinsic.SpanId => MetricsFieldSource.SpanId,
        Intrinsic.TraceId => MetricsFieldSource.TraceId,
        Intrinsic.TraceDuration => MetricsFieldSource.TraceDuration,
        Intrinsic.TraceRootName => MetricsFieldSource.TraceRootName,
        Intrinsic.TraceRootService => MetricsFieldSource.TraceRootService,
        _ => throw new TraceQLQueryException($"{role} {label}: this intrinsic is not supported in metrics queries; use duration, name, status, statusMessage, kind, span:id, trace:id, traceDuration, rootName or rootServiceName."),
    };
}
