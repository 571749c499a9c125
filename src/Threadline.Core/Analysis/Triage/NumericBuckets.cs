namespace Threadline.Core.Analysis.Triage;

/// <summary>
/// The ranges a high-cardinality number is counted in: 1-2-5 steps per decade ([1, 2), [2, 5),
/// [5, 10), [10, 20) …), which keep amounts, sizes and token counts readable and few (three per
/// decade), and one bucket for zero and below.
/// </summary>
public static class NumericBuckets
{
    private const int MinExponent = -12;
    private const int MaxExponent = 18;
    private static readonly int[] Steps = [1, 2, 5];

    /// <summary>The bucket of a number: 0 for ≤ 0, then one index per (decade, step), ascending.</summary>
    public static int IndexOf(double value)
    {
        if (double.IsNaN(value) || value <= 0) return 0;
        var exponent = Math.Clamp((int)Math.Floor(Math.Log10(value)), MinExponent, MaxExponent);
        // Log10 can be off by one near a power of ten; settle it against the bounds as printed.
        while (exponent > MinExponent && value < Bound(exponent, 0)) exponent--;
        while (exponent < MaxExponent && value >= Bound(exponent + 1, 0)) exponent++;
        var step = value >= Bound(exponent, 2) ? 2 : value >= Bound(exponent, 1) ? 1 : 0;
        return 1 + ((exponent - MinExponent) * Steps.Length) + step;
    }

    /// <summary>The range a bucket index stands for.</summary>
    public static TriageValue RangeOf(int index)
    {
        if (index == 0) return TriageValue.Range(double.NegativeInfinity, 0);
        var exponent = MinExponent + ((index - 1) / Steps.Length);
        var step = (index - 1) % Steps.Length;
        // The lowest bucket also holds the tiny numbers below it.
        var low = exponent == MinExponent && step == 0 ? 0 : Bound(exponent, step);
        var high = step + 1 < Steps.Length ? Bound(exponent, step + 1) : Bound(exponent + 1, 0);
        return TriageValue.Range(low, high);
    }

    // Dividing by an exact power of ten (rather than multiplying by 0.001) gives the nearest
    // double to the decimal bound, so the bound prints as written and compares as printed.
    private static double Bound(int exponent, int step) =>
        exponent >= 0 ? Steps[step] * Math.Pow(10, exponent) : Steps[step] / Math.Pow(10, -exponent);
}
