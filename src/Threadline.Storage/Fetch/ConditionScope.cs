namespace Threadline.Storage.Fetch;

/// <summary>Where a <see cref="Condition"/> looks for its attribute.</summary>
public enum ConditionScope : byte
{
    /// <summary>The span's attributes, then its resource's (TraceQL's unscoped <c>.key</c>).</summary>
    Any = 0,

    /// <summary>The span's own attributes (<c>span.key</c>).</summary>
    Span,

    /// <summary>The span's resource attributes (<c>resource.key</c>).</summary>
    Resource,

    /// <summary>The attributes of any of the span's events (<c>event.key</c>).</summary>
    Event,

    /// <summary>The attributes of any of the span's links (<c>link.key</c>).</summary>
    Link,

    /// <summary>A field of the span itself, named by one of <see cref="Intrinsics"/>.</summary>
    Intrinsic,
}

/// <summary>The names of the span fields a <see cref="ConditionScope.Intrinsic"/> condition can test.</summary>
public static class Intrinsics
{
    /// <summary>The span name (string).</summary>
    public const string Name = "name";

    /// <summary>End minus start, compared as <see cref="StaticType.Duration"/> (nanoseconds).</summary>
    public const string Duration = "duration";

    /// <summary>The span kind, compared as <see cref="StaticType.Kind"/>.</summary>
    public const string Kind = "kind";

    /// <summary>The status code, compared as <see cref="StaticType.Status"/>.</summary>
    public const string Status = "status";

    /// <summary>The status message (string).</summary>
    public const string StatusMessage = "statusMessage";

    /// <summary>The resource's service name (string).</summary>
    public const string ServiceName = "service.name";

    /// <summary>Every intrinsic name, for validation messages.</summary>
    public static IReadOnlyList<string> All { get; } = [Name, Duration, Kind, Status, StatusMessage, ServiceName];
}
