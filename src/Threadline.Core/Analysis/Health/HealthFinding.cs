using Threadline.Core.Model;

namespace Threadline.Core.Analysis;

/// <summary>What is wrong with a trace; the API names are these in camelCase (<c>missingParent</c>…).</summary>
public enum HealthFindingKind
{
    /// <summary>Spans name a parent that never arrived, at a call between services: propagation broke there.</summary>
    MissingParent,

    /// <summary>Spans cut off from the rest of their trace inside one service (a parent not exported), or parent links that loop.</summary>
    Orphan,
    EndBeforeStart,

    /// <summary>End time 0: the span was exported before it ended.</summary>
    NeverEnded,

    /// <summary>A child starts before or ends after its parent, and clock skew does not explain it.</summary>
    ChildOutsideParent,

    /// <summary>The sampled bit of the trace flags differs between spans of the trace.</summary>
    MixedSampling,
    DuplicateSpanId,

    /// <summary>A host's clock was corrected (see <see cref="ClockSkew"/>).</summary>
    ClockSkew,
    MultipleRoots,
}

public enum HealthSeverity
{
    Error,
    Warning,
    Info,
}

/// <summary>
/// One problem found in a trace, in words a user acts on.
/// <see cref="SpanIds"/> holds at most <see cref="TraceHealth.MaxSpanIdsPerFinding"/> of the spans concerned; the message gives the full count.
/// </summary>
public sealed record HealthFinding(
    HealthFindingKind Kind,
    HealthSeverity Severity,
    string Title,
    string Message,
    IReadOnlyList<SpanId> SpanIds,
    IReadOnlyList<string> Services);
