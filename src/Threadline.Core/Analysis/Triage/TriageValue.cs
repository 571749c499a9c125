using System.Globalization;
using Threadline.Core.Model;

namespace Threadline.Core.Analysis.Triage;

/// <summary>
/// What triage counts for an attribute: one exact value, or, for a numeric attribute with too
/// many distinct values, the range [<see cref="Low"/>, <see cref="High"/>) it falls in
/// (<see cref="Low"/> is negative infinity for the bucket of zero and negative numbers, whose
/// upper bound 0 is then inclusive).
/// </summary>
public readonly record struct TriageValue
{
    private TriageValue(AttributeValue exact, double low, double high, bool isRange)
    {
        Exact = exact;
        Low = low;
        High = high;
        IsRange = isRange;
    }

    /// <summary>The value, when <see cref="IsRange"/> is false.</summary>
    public AttributeValue Exact { get; }

    /// <summary>True for a numeric bucket.</summary>
    public bool IsRange { get; }

    /// <summary>Inclusive lower bound of a bucket.</summary>
    public double Low { get; }

    /// <summary>Exclusive upper bound of a bucket (inclusive for the bucket ending at 0).</summary>
    public double High { get; }

    public static TriageValue Of(AttributeValue value) => new(value, 0, 0, false);

    public static TriageValue Range(double low, double high) => new(default, low, high, true);

    /// <summary>The value as a user reads it: the exact value, or <c>[100, 200)</c> / <c>≤ 0</c> for a bucket.</summary>
    public override string ToString()
    {
        if (!IsRange) return Exact.ToString();
        if (double.IsNegativeInfinity(Low)) return "≤ " + Number(High);
        return $"[{Number(Low)}, {Number(High)})";
    }

    /// <summary>A bucket bound as an invariant number (shortest round-trip form).</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
