namespace Threadline.Server.Api;

/// <summary>
/// Parses durations as Go and Jaeger write them: one or more number-unit pairs such as
/// <c>150ms</c>, <c>1.5s</c>, <c>2m</c>, <c>1h30m</c>, <c>500us</c> (or <c>µs</c>), <c>100ns</c>.
/// </summary>
internal static class DurationParser
{
    private static readonly (string Unit, decimal Nanos)[] Units =
    [
        ("ns", 1m),
        ("us", 1_000m),
        ("\u00B5s", 1_000m), // micro sign
        ("\u03BCs", 1_000m), // Greek mu
        ("ms", 1_000_000m),
        ("s", 1_000_000_000m),
        ("m", 60_000_000_000m),
        ("h", 3_600_000_000_000m),
    ];

    /// <summary>The duration in nanoseconds, or false with a message saying what is wrong.</summary>
    public static bool TryParse(string text, out ulong nanos, out string error)
    {
        nanos = 0;
        error = string.Empty;
        var rest = text.AsSpan().Trim();
        if (rest.IsEmpty)
        {
            error = "is empty; give a duration such as 150ms, 1.5s or 2m";
            return false;
        }
        if (rest.SequenceEqual("0"))
            return true;

        decimal total = 0;
        while (!rest.IsEmpty)
        {
            var numberLength = 0;
            var seenDot = false;
            while (numberLength < rest.Length && (char.IsAsciiDigit(rest[numberLength]) || (rest[numberLength] == '.' && !seenDot)))
            {
                seenDot |= rest[numberLength] == '.';
                numberLength++;
            }
            if (numberLength == 0 || !decimal.TryParse(rest[..numberLength], System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var number))
            {
                error = $"is '{text}', which is not a duration; write a number then a unit (ns, us, ms, s, m, h), e.g. 150ms or 1.5s";
                return false;
            }
            rest = rest[numberLength..];

            var unitLength = 0;
            while (unitLength < rest.Length && !char.IsAsciiDigit(rest[unitLength]))
                unitLength++;
            var unit = rest[..unitLength];
            var scale = 0m;
            foreach (var (name, unitNanos) in Units)
            {
                if (unit.SequenceEqual(name)) scale = unitNanos;
            }
            if (scale == 0)
            {
                error = unit.IsEmpty
                    ? $"is '{text}', a number without a unit; add one of ns, us, ms, s, m, h (e.g. {number}ms)"
                    : $"is '{text}', with unknown unit '{unit}'; use ns, us, ms, s, m or h";
                return false;
            }
            rest = rest[unitLength..];

            total += number * scale;
            if (total > ulong.MaxValue)
            {
                error = $"is '{text}', too long a duration";
                return false;
            }
        }
        nanos = (ulong)decimal.Truncate(total);
        return true;
    }
}
