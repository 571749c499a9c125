using Threadline.Core.Model;
using Threadline.Query.TraceQL.Ast;
using Threadline.Storage.Aggregates;

namespace Threadline.Query.TraceQL.Metrics;

/// <summary>
/// A field a metrics query reads from each matching span: a <c>by()</c> label or the value an
/// <c>*_over_time</c> function aggregates. <see cref="Label"/> is the name Tempo prints for it
/// (<c>resource.service.name</c>, <c>span.http.route</c>, <c>.route</c>, <c>name</c>, <c>duration</c>).
/// </summary>
internal sealed record MetricsField(FieldExpression Expression)
{
    public string Label { get; } = Expression.ToString();

    /// <summary>True for a duration (span, trace or event), which Tempo reports in seconds.</summary>
    public bool IsDuration { get; } = Expression.Type == FieldType.Duration;

    /// <summary>True when the ingest-time span-metrics key carries this field.</summary>
    public bool IsInIngestKey => KeyField(Expression) is not null;

    /// <summary>The field's value on an ingest-time span-metrics key, as the scan path reads it from a span.</summary>
    public AttributeValue ReadKey(SpanMetricsKey key) => KeyField(Expression) switch
    {
        KeyPart.Service => key.ServiceName,
        KeyPart.Name => key.SpanName,
        KeyPart.Kind => LabelValues.Of(key.Kind),
        KeyPart.Status => LabelValues.Of(key.StatusCode),
        _ => AttributeValue.Empty,
    };

    private static KeyPart? KeyField(FieldExpression expression) => expression switch
    {
        AttributeExpression { Scope: AttributeScope.Resource, Name: "service.name", Parent: false } => KeyPart.Service,
        IntrinsicExpression { Intrinsic: Intrinsic.Name } => KeyPart.Name,
        IntrinsicExpression { Intrinsic: Intrinsic.Kind } => KeyPart.Kind,
        IntrinsicExpression { Intrinsic: Intrinsic.Status } => KeyPart.Status,
        _ => null,
    };

    private enum KeyPart : byte
    {
        Service,
        Name,
        Kind,
        Status,
    }
}

/// <summary>TraceQL's keywords for kinds and statuses, which Tempo's labels carry as strings.</summary>
internal static class LabelValues
{
    public static string Of(SpanKind kind) => kind switch
    {
        SpanKind.Internal => "internal",
        SpanKind.Server => "server",
        SpanKind.Client => "client",
        SpanKind.Producer => "producer",
        SpanKind.Consumer => "consumer",
        _ => "unspecified",
    };

    public static string Of(StatusCode status) => status switch
    {
        StatusCode.Ok => "ok",
        StatusCode.Error => "error",
        _ => "unset",
    };
}
