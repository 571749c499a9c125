namespace Threadline.Core.Analysis.Triage;

/// <summary>
/// The bounds that keep one triage's memory fixed however many spans it counts. The defaults
/// here are the only ones.
/// </summary>
public sealed record TriageOptions
{
    /// <summary>
    /// Most distinct values kept per attribute. Past it a numeric attribute is bucketed and any
    /// other is dropped as high-cardinality (an id, a timestamp, a free text).
    /// </summary>
    public int MaxValuesPerKey { get; init; } = 256;

    /// <summary>Most attributes (scope and key) counted; values of later keys are not counted, only tallied in <see cref="TriageResult.OmittedValues"/>.</summary>
    public int MaxKeys { get; init; } = 512;

    /// <summary>Longest string value counted, in characters; longer ones (query texts, stack traces) are skipped.</summary>
    public int MaxValueLength { get; init; } = 256;

    /// <summary>
    /// A key carried by at least this many spans whose distinct values exceed half of them is
    /// unique per span (ids): dropped if textual, bucketed if numeric. Fewer spans prove nothing.
    /// </summary>
    public int MinSpansForUniqueness { get; init; } = 20;

    public static TriageOptions Default { get; } = new();
}
