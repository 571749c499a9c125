namespace Threadline.Query.Parameters;

/// <summary>
/// Parses durations as Go, Jaeger and Tempo write them: one or more number-unit pairs such as
/// <c>150ms</c>, <c>1.5s</c>, <c>2m</c>, <c>1h30m</c>, <c>500us</c> (or <c>µs</c>), <c>100ns</c>;
/// <c>0</c> alone. The result is in nanoseconds, at most <see cref="MaxNanos"/>.
/// </summary>
public static class DurationParser
{
    /// <summary>
    /// The longest duration accepted, Go's <c>time.Duration</c> maximum (about 292 years), so that
    /// anything Jaeger or Tempo accept is accepted here and nothing else overflows.
    /// </summary>
    public const ulong MaxNanos = long.MaxValue;

    /// <summary>The accepted range, as error messages state it.</summary>
    public const string AcceptedRange = "from 0 to 2562047h (about 292 years)";

    private const string UnitList = "ns, us, ms, s, m, h";

    // Fraction digits past this many change the result by less than a nanosecond, even in hours.
    private const int MaxFractionDigits = 18;

    private static readonly (string Unit, ulong Nanos)[] Units =
    [
        ("ns", 1),
        ("us", 1_000),
        ("\u00B5s", 1_000), // micro sign
        ("\u03BCs", 1_000), // Greek mu
        ("ms", 1_000_000),
        ("s", 1_000_000_000),
        ("m", 60_000_000_000),
        ("h", 3_600_000_000_000),
    ];

    /// <summary>The duration in nanoseconds, or false with an error naming <paramref name="parameter"/>.</summary>
    public static bool TryParse(string parameter, string text, out ulong nanos, out ParameterError error)
    {
        ArgumentNullException.ThrowIfNull(text);
        nanos = 0;
        error = default;
        var rest = text.AsSpan().Trim();
        if (rest.IsEmpty)
            return Fail(out error, parameter, "is empty; give a duration such as 150ms, 1.5s or 2m");
        if (rest.SequenceEqual("0"))
            return true;
        if (rest[0] == '-')
            return Fail(out error, parameter, $"is '{ParameterError.Echo(text)}', a negative duration; give one {AcceptedRange}, such as 150ms");

        // UInt128 holds any in-range whole part times the largest unit, so the arithmetic below
        // cannot overflow; the running total is checked against the range after every pair.
        UInt128 total = 0;
        while (!rest.IsEmpty)
        {
            if (!TryReadNumber(ref rest, out var whole, out var fraction, out var fractionScale, out var numberText))
                return Fail(out error, parameter, $"is '{ParameterError.Echo(text)}', which is not a duration; write a number then a unit ({UnitList}), e.g. 150ms or 1.5s");

            var unitLength = 0;
            while (unitLength < rest.Length && !char.IsAsciiDigit(rest[unitLength]))
                unitLength++;
            var unit = rest[..unitLength];
            rest = rest[unitLength..];
            if (!TryUnit(unit, out var scale))
            {
                return Fail(out error, parameter, unit.IsEmpty
                    ? $"is '{ParameterError.Echo(text)}', a number without a unit; add one of {UnitList} (e.g. {ParameterError.Echo(numberText)}ms)"
                    : $"is '{ParameterError.Echo(text)}', with unknown unit '{ParameterError.Echo(unit.ToString())}'; use ns, us, ms, s, m or h");
            }

            total += whole * scale + fraction * scale / fractionScale;
            if (whole > MaxNanos || total > MaxNanos)
                return Fail(out error, parameter, $"is '{ParameterError.Echo(text)}', too long a duration; give one {AcceptedRange}");
        }
        nanos = (ulong)total;
        return true;
    }

    // Digits, optionally a dot and more digits, at least one digit in all. A whole part past the
    // range is only remembered as past it (the caller refuses it); extra fraction digits are dropped.
    private static bool TryReadNumber(ref ReadOnlySpan<char> rest, out UInt128 whole, out UInt128 fraction, out UInt128 fractionScale, out string numberText)
    {
        whole = 0;
        fraction = 0;
        fractionScale = 1;
        var length = 0;
        var digits = 0;
        while (length < rest.Length && char.IsAsciiDigit(rest[length]))
        {
            if (whole <= MaxNanos) whole = whole * 10 + (uint)(rest[length] - '0');
            length++;
            digits++;
        }
        if (length < rest.Length && rest[length] == '.')
        {
            length++;
            var fractionDigits = 0;
            while (length < rest.Length && char.IsAsciiDigit(rest[length]))
            {
                if (fractionDigits < MaxFractionDigits)
                {
                    fraction = fraction * 10 + (uint)(rest[length] - '0');
                    fractionScale *= 10;
                    fractionDigits++;
                }
                length++;
                digits++;
            }
        }
        numberText = rest[..length].ToString();
        rest = rest[length..];
        return digits > 0;
    }

    private static bool TryUnit(ReadOnlySpan<char> unit, out ulong nanos)
    {
        foreach (var (name, unitNanos) in Units)
        {
            if (unit.SequenceEqual(name))
            {
                nanos = unitNanos;
                return true;
            }
        }
        nanos = 0;
        return false;
    }

    private static bool Fail(out ParameterError error, string parameter, string problem)
    {
        error = ParameterError.Create(parameter, problem);
        return false;
    }
}
