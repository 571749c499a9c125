namespace Threadline.Core.Analysis.Triage;

/// <summary>
/// One attribute value and how often it occurs in each population: counts, percentages of the
/// population's spans, and the score (selection fraction minus baseline fraction, −1 to 1).
/// </summary>
public sealed record TriageAttribute(
    TriageScope Scope,
    string Key,
    TriageValue Value,
    long SelectionCount,
    double SelectionPercent,
    long BaselineCount,
    double BaselinePercent,
    double Score);

/// <summary>
/// What sets the selection apart: the over-represented attribute values, best first, with the
/// population sizes, and what was left out to keep memory bounded.
/// </summary>
public sealed record TriageResult(
    long SelectionSpanCount,
    long BaselineSpanCount,
    IReadOnlyList<TriageAttribute> Attributes,
    IReadOnlyList<TriageKey> HighCardinalityKeys,
    long OmittedValues);

/// <summary>An attribute key in a scope.</summary>
public readonly record struct TriageKey(TriageScope Scope, string Key);
