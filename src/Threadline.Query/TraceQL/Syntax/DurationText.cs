namespace Threadline.Query.TraceQL.Syntax;

/// <summary>
/// Reads TraceQL durations: one or more <c>number unit</c> pairs, numbers possibly fractional,
/// units <c>ns us µs ms s m h d w y</c> (PromQL's and Go's together, as Tempo accepts both).
/// </summary>
internal static class DurationText
{
    public static bool TryParse(ReadOnlySpan<char> text, out ulong nanoseconds, out bool overflow)
    {
        nanoseconds = 0;
        overflow = false;
        if (text.IsEmpty) return false;
        decimal total = 0;
        var i = 0;
        while (i < text.Length)
        {
            var numberStart = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.')) i++;
            if (i == numberStart || !decimal.TryParse(text[numberStart..i], System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var amount))
                return false;
            var unitStart = i;
            while (i < text.Length && !char.IsAsciiDigit(text[i]) && text[i] != '.') i++;
            var unit = UnitNanos(text[unitStart..i]);
            if (unit == 0) return false;
            try
            {
                total += amount * unit;
            }
            catch (OverflowException)
            {
                overflow = true;
                return false;
            }
        }
        if (total > long.MaxValue)
        {
            overflow = true;
            return false;
        }
        nanoseconds = (ulong)decimal.Truncate(total);
        return true;
    }

    private static decimal UnitNanos(ReadOnlySpan<char> unit) => unit switch
    {
        "ns" => 1m,
        "us" or "µs" or "μs" => 1_000m,
        "ms" => 1_000_000m,
        "s" => 1_000_000_000m,
        "m" => 60_000_000_000m,
        "h" => 3_600_000_000_000m,
        "d" => 86_400_000_000_000m,
        "w" => 604_800_000_000_000m,
        "y" => 31_536_000_000_000_000m,
        _ => 0m,
    };
}
