using Threadline.Core.Analysis.Triage;

namespace Threadline.Query.Analysis;

/// <summary>
/// A triage's answer: what each population was (in words and spans), the ranked attribute
/// values, and whether the span cap cut the scan short (<see cref="Truncated"/>: the counts cover
/// only the first <see cref="SpansExamined"/> spans read).
/// </summary>
public sealed record TriageAnswer(
    string SelectionDescription,
    string BaselineDescription,
    TriageResult Result,
    bool Truncated,
    long SpansExamined);
