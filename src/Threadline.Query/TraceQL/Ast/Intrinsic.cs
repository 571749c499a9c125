namespace Threadline.Query.TraceQL.Ast;

/// <summary>A field every span (or its trace, event, link or scope) has, named by a keyword rather than an attribute key.</summary>
public enum Intrinsic : byte
{
    Duration,
    Name,
    Status,
    StatusMessage,
    Kind,
    ChildCount,
    SpanId,
    ParentId,
    TraceId,
    TraceDuration,
    TraceRootName,
    TraceRootService,
    EventName,
    EventTimeSinceStart,
    LinkTraceId,
    LinkSpanId,
    InstrumentationName,
    InstrumentationVersion,
    NestedSetLeft,
    NestedSetRight,
    NestedSetParent,
}

/// <summary>Where an attribute is looked for.</summary>
public enum AttributeScope : byte
{
    /// <summary>Unscoped <c>.key</c>: the span's attributes, then its resource's.</summary>
    None,
    Span,
    Resource,
    Event,
    Link,
    Instrumentation,
}

/// <summary>Names and static types of the intrinsics, as TraceQL spells them.</summary>
public static class IntrinsicInfo
{
    /// <summary>The canonical spelling, as Tempo prints it (<c>duration</c>, <c>span:id</c>, <c>traceDuration</c>).</summary>
    public static string CanonicalName(Intrinsic intrinsic) => intrinsic switch
    {
        Intrinsic.Duration => "duration",
        Intrinsic.Name => "name",
        Intrinsic.Status => "status",
        Intrinsic.StatusMessage => "statusMessage",
        Intrinsic.Kind => "kind",
        Intrinsic.ChildCount => "span:childCount",
        Intrinsic.SpanId => "span:id",
        Intrinsic.ParentId => "span:parentID",
        Intrinsic.TraceId => "trace:id",
        Intrinsic.TraceDuration => "traceDuration",
        Intrinsic.TraceRootName => "rootName",
        Intrinsic.TraceRootService => "rootServiceName",
        Intrinsic.EventName => "event:name",
        Intrinsic.EventTimeSinceStart => "event:timeSinceStart",
        Intrinsic.LinkTraceId => "link:traceID",
        Intrinsic.LinkSpanId => "link:spanID",
        Intrinsic.InstrumentationName => "instrumentation:name",
        Intrinsic.InstrumentationVersion => "instrumentation:version",
        Intrinsic.NestedSetLeft => "nestedSetLeft",
        Intrinsic.NestedSetRight => "nestedSetRight",
        Intrinsic.NestedSetParent => "nestedSetParent",
        _ => throw new ArgumentOutOfRangeException(nameof(intrinsic), intrinsic, null),
    };

    /// <summary>The type the intrinsic's values have.</summary>
    public static FieldType TypeOf(Intrinsic intrinsic) => intrinsic switch
    {
        Intrinsic.Duration or Intrinsic.TraceDuration or Intrinsic.EventTimeSinceStart => FieldType.Duration,
        Intrinsic.Status => FieldType.Status,
        Intrinsic.Kind => FieldType.Kind,
        Intrinsic.ChildCount or Intrinsic.NestedSetLeft or Intrinsic.NestedSetRight or Intrinsic.NestedSetParent => FieldType.Int,
        _ => FieldType.String,
    };

    /// <summary>Whether the intrinsic belongs to the trace (the same on every span of it).</summary>
    public static bool IsTraceLevel(Intrinsic intrinsic) =>
        intrinsic is Intrinsic.TraceId or Intrinsic.TraceDuration or Intrinsic.TraceRootName or Intrinsic.TraceRootService;

    public static string ScopeName(AttributeScope scope) => scope switch
    {
        AttributeScope.Span => "span",
        AttributeScope.Resource => "resource",
        AttributeScope.Event => "event",
        AttributeScope.Link => "link",
        AttributeScope.Instrumentation => "instrumentation",
        _ => string.Empty,
    };
}

/// <summary>The static type of a field expression, for checks at parse time; <see cref="Unknown"/> for attributes, whose type is known only per span.</summary>
public enum FieldType : byte
{
    Unknown,
    Nil,
    String,
    Int,
    Float,
    Bool,
    Duration,
    Status,
    Kind,
}
