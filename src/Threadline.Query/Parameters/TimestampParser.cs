using System.Globalization;

namespace Threadline.Query.Parameters;

/// <summary>
/// Parses a point in time given as Unix nanoseconds (digits only) or as RFC 3339
/// (<c>2024-05-01T12:00:00Z</c>, <c>2024-05-01T14:00:00.123456789+02:00</c>), to Unix nanoseconds,
/// from the Unix epoch to <see cref="ulong.MaxValue"/> nanoseconds after it.
/// </summary>
public static class TimestampParser
{
    /// <summary>The accepted range, as error messages state it.</summary>
    public const string AcceptedRange = "from 1970-01-01T00:00:00Z (0) to 2554-07-21T23:34:33.709551615Z (18446744073709551615 ns)";

    private const string Formats = "Unix nanoseconds (digits only) or an RFC 3339 time such as 2024-05-01T12:00:00Z or 2024-05-01T14:00:00.123456789+02:00 (at most 9 fraction digits)";
    private const long NanosPerTick = 100;
    private const long NanosPerMinute = 60_000_000_000;
    private const int SecondsEnd = 19; // yyyy-MM-ddTHH:mm:ss

    /// <summary>The time in Unix nanoseconds, or false with an error naming <paramref name="parameter"/>.</summary>
    public static bool TryParse(string parameter, string text, out ulong unixNanos, out ParameterError error)
    {
        ArgumentNullException.ThrowIfNull(text);
        unixNanos = 0;
        error = default;
        var value = text.AsSpan().Trim();
        if (value.IsEmpty)
            return Fail(out error, parameter, $"is empty; give {Formats}");
        if (IsDigits(value))
        {
            if (ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out unixNanos))
                return true;
            return Fail(out error, parameter, $"is '{ParameterError.Echo(text)}', too large for Unix nanoseconds; give a time {AcceptedRange}");
        }
        if (!TryParseRfc3339(value, out var nanos))
            return Fail(out error, parameter, $"is '{ParameterError.Echo(text)}', neither {Formats}");
        if (nanos < 0)
            return Fail(out error, parameter, $"is '{ParameterError.Echo(text)}', before the Unix epoch; give a time {AcceptedRange}");
        if (nanos > ulong.MaxValue)
            return Fail(out error, parameter, $"is '{ParameterError.Echo(text)}', too late for Unix nanoseconds; give a time {AcceptedRange}");
        unixNanos = (ulong)nanos;
        return true;
    }

    // .NET keeps 100 ns ticks and a narrower range of offsets than RFC 3339 allows, so the date
    // and time are read by the framework, the fraction and offset by hand, and the sum is done
    // in 128 bits: a time far outside the accepted range is refused, never wrapped around.
    private static bool TryParseRfc3339(ReadOnlySpan<char> value, out Int128 unixNanos)
    {
        unixNanos = 0;
        if (value.Length < SecondsEnd + 1 || value[10] is not ('T' or 't')) return false;
        if (!DateTime.TryParseExact(value[..SecondsEnd], "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            && !DateTime.TryParseExact(value[..SecondsEnd], "yyyy-MM-dd't'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out local))
            return false;

        var rest = value[SecondsEnd..];
        long fractionNanos = 0;
        if (rest[0] == '.')
        {
            var digits = 0;
            while (digits + 1 < rest.Length && char.IsAsciiDigit(rest[digits + 1])) digits++;
            if (digits is 0 or > 9) return false;
            fractionNanos = long.Parse(rest.Slice(1, digits), NumberStyles.None, CultureInfo.InvariantCulture);
            for (var i = digits; i < 9; i++) fractionNanos *= 10;
            rest = rest[(digits + 1)..];
        }
        if (!TryParseOffset(rest, out var offsetMinutes)) return false;

        unixNanos = (Int128)(local.Ticks - DateTime.UnixEpoch.Ticks) * NanosPerTick + fractionNanos - (Int128)offsetMinutes * NanosPerMinute;
        return true;
    }

    // Z, or +hh:mm / -hh:mm as RFC 3339's time-numoffset.
    private static bool TryParseOffset(ReadOnlySpan<char> text, out int minutes)
    {
        minutes = 0;
        if (text is ['Z' or 'z']) return true;
        if (text.Length != 6 || text[0] is not ('+' or '-') || text[3] != ':') return false;
        if (!IsDigits(text.Slice(1, 2)) || !IsDigits(text.Slice(4, 2))) return false;
        var hours = (text[1] - '0') * 10 + (text[2] - '0');
        var mins = (text[4] - '0') * 10 + (text[5] - '0');
        if (hours > 23 || mins > 59) return false;
        minutes = (hours * 60 + mins) * (text[0] == '-' ? -1 : 1);
        return true;
    }

    private static bool IsDigits(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiDigit(c)) return false;
        }
        return true;
    }

    private static bool Fail(out ParameterError error, string parameter, string problem)
    {
        error = ParameterError.Create(parameter, problem);
        return false;
    }
}
