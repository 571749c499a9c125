using System.Globalization;
using System.Text;

namespace Threadline.Query.TraceQL.Evaluation;

/// <summary>
/// Formats durations as Go's <c>time.Duration.String()</c> does (<c>1.5s</c>, <c>2m3s</c>,
/// <c>250µs</c>), which is how Tempo writes duration-valued results.
/// </summary>
internal static class GoDuration
{
    public static string Format(ulong nanoseconds)
    {
        if (nanoseconds == 0) return "0s";
        if (nanoseconds < 1_000) return nanoseconds.ToString(CultureInfo.InvariantCulture) + "ns";
        if (nanoseconds < 1_000_000) return Fraction(nanoseconds, 1_000) + "µs";
        if (nanoseconds < 1_000_000_000) return Fraction(nanoseconds, 1_000_000) + "ms";

        var builder = new StringBuilder();
        var hours = nanoseconds / 3_600_000_000_000UL;
        var rest = nanoseconds % 3_600_000_000_000UL;
        var minutes = rest / 60_000_000_000UL;
        rest %= 60_000_000_000UL;
        if (hours > 0) builder.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        if (hours > 0 || minutes > 0) builder.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        return builder.Append(Fraction(rest, 1_000_000_000)).Append('s').ToString();
    }

    private static string Fraction(ulong value, ulong unit)
    {
        var whole = (value / unit).ToString(CultureInfo.InvariantCulture);
        var remainder = value % unit;
        if (remainder == 0) return whole;
        var digits = unit.ToString(CultureInfo.InvariantCulture).Length - 1;
        return whole + "." + remainder.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
    }
}
