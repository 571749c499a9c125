namespace Threadline.Core.Analysis.Triage;

/// <summary>Where a triaged attribute lives.</summary>
public enum TriageScope : byte
{
    /// <summary>An attribute of the span itself.</summary>
    Span = 0,

    /// <summary>An attribute of the span's resource (<c>service.name</c> among them).</summary>
    Resource,

    /// <summary>A field of the span counted as if it were an attribute: its name.</summary>
    Intrinsic,
}

/// <summary>The names of the intrinsic pseudo-attributes triage counts.</summary>
public static class TriageIntrinsics
{
    /// <summary>The span name.</summary>
    public const string Name = "name";

    /// <summary>The resource key holding the service name.</summary>
    public const string ServiceName = "service.name";
}
