using Threadline.Core.Model;
using Threadline.Storage.Aggregates;
using Threadline.Storage.Fetch;

namespace Threadline.Query.TraceQL.Metrics;

/// <summary>What a <see cref="MetricsField"/> reads.</summary>
internal enum MetricsFieldSource : byte
{
    /// <summary>An attribute in <see cref="MetricsField.Scope"/> under <see cref="MetricsField.Name"/>.</summary>
    Attribute = 0,
    SpanName,
    SpanStatus,
    SpanKind,
    SpanDuration,
    StatusMessage,

    /// <summary><c>resource.service.name</c>: an attribute, but one every span has and the aggregates key on.</summary>
    ServiceName,
    TraceRootName,
    TraceRootService,
    TraceDuration,
    TraceId,
    SpanId,
}

/// <summary>
/// A field a metrics query reads from each matching span: a <c>by()</c> label or the value an
/// <c>*_over_time</c> function aggregates. <see cref="Label"/> is the name Tempo prints for it
/// (<c>resource.service.name</c>, <c>span.http.route</c>, <c>.route</c>, <c>name</c>, <c>duration</c>).
/// </summary>
internal sealed record MetricsField(string Label, MetricsFieldSource Source, ConditionScope Scope = ConditionScope.Any, string Name = "")
{
    public static MetricsField Attribute(string label, ConditionScope scope, string name) =>
        name == "service.name" && scope == ConditionScope.Resource
            ? new(label, MetricsFieldSource.ServiceName, scope, name)
            : new(label, MetricsFieldSource.Attribute, scope, name);

    /// <summary>True for the duration intrinsic, which Tempo reports in seconds.</summary>
    public bool IsDuration => Source is MetricsFieldSource.SpanDuration or MetricsFieldSource.TraceDuration;

    /// <summary>The fetch-only condition that makes a store return this field, or null when every spanset carries it.</summary>
    public Condition? FetchCondition => Source == MetricsFieldSource.Attribute ? Condition.Select(Scope, Name) : null;

    /// <summary>True when the ingest-time span metrics key carries this field.</summary>
    public bool IsInIngestKey => Source is MetricsFieldSource.ServiceName or MetricsFieldSource.SpanName or MetricsFieldSource.SpanKind or MetricsFieldSource.SpanStatus;

    /// <summary>The field's value on a fetched span; false when the span has none.</summary>
    public bool TryRead(Spanset set, SpansetSpan span, out AttributeValue value)
    {
        switch (Source)
        {
            case MetricsFieldSource.Attribute:
                foreach (var fetched in span.Attributes)
                {
                    if (fetched.Scope == Scope && fetched.Name == Name)
                    {
                        value = fetched.Value;
                        return true;
                    }
                }
                value = default;
                return false;
            case MetricsFieldSource.SpanDuration: value = AttributeValue.FromInt((long)span.DurationNanos); return true;
            case MetricsFieldSource.TraceDuration: value = AttributeValue.FromInt((long)(set.TraceEndUnixNano - set.TraceStartUnixNano)); return true;
            case MetricsFieldSource.StatusMessage: value = span.Status.Message; return true;
            case MetricsFieldSource.TraceRootName: value = set.RootSpanName; return true;
            case MetricsFieldSource.TraceRootService: value = set.RootServiceName; return true;
            case MetricsFieldSource.TraceId: value = set.TraceId.ToString(); return true;
            case MetricsFieldSource.SpanId: value = span.SpanId.ToString(); return true;
            default: return TryReadKey(new SpanMetricsKey(span.ServiceName, span.Name, span.Kind, span.Status.Code), out value);
        }
    }

    /// <summary>The field's value on an ingest-time span metrics key; false for a field the key lacks.</summary>
    public bool TryReadKey(SpanMetricsKey key, out AttributeValue value)
    {
        switch (Source)
        {
            case MetricsFieldSource.ServiceName: value = key.ServiceName; return true;
            case MetricsFieldSource.SpanName: value = key.SpanName; return true;
            case MetricsFieldSource.SpanKind: value = KindName(key.Kind); return true;
            case MetricsFieldSource.SpanStatus: value = StatusName(key.StatusCode); return true;
            default: value = default; return false;
        }
    }

    // TraceQL's keywords for kinds and statuses, which Tempo's labels carry as strings.
    private static string KindName(SpanKind kind) => kind switch
    {
        SpanKind.Internal => "internal",
        SpanKind.Server => "server",
        SpanKind.Client => "client",
        SpanKind.Producer => "producer",
        SpanKind.Consumer => "consumer",
        _ => "unspecified",
    };

    private static string StatusName(StatusCode status) => status switch
    {
        StatusCode.Ok => "ok",
        StatusCode.Error => "error",
        _ => "unset",
    };
}
