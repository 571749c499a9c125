using System.Globalization;

namespace Threadline.Server.Api;

/// <summary>
/// Parses a point in time given as Unix nanoseconds (digits only) or as RFC 3339
/// (<c>2024-05-01T12:00:00Z</c>, <c>2024-05-01T14:00:00.123456789+02:00</c>), to Unix nanoseconds.
/// </summary>
internal static class TimestampParser
{
    private const int NanosPerTick = 100;

    public static bool TryParse(string text, out ulong unixNanos, out string error)
    {
        unixNanos = 0;
        error = string.Empty;
        var value = text.AsSpan().Trim();
        if (value.IsEmpty)
        {
            error = "is empty; give Unix nanoseconds or an RFC 3339 time such as 2024-05-01T12:00:00Z";
            return false;
        }
        if (IsDigits(value))
        {
            if (ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out unixNanos))
                return true;
            error = $"is '{text}', too large for Unix nanoseconds";
            return false;
        }
        if (TryParseRfc3339(value, out unixNanos))
            return true;
        error = $"is '{text}', neither Unix nanoseconds (digits only) nor an RFC 3339 time such as 2024-05-01T12:00:00Z";
        return false;
    }

    // .NET keeps 100 ns ticks, RFC 3339 allows any number of fraction digits: parse the whole
    // seconds with the framework and the fraction by hand so nanoseconds survive.
    private static bool TryParseRfc3339(ReadOnlySpan<char> value, out ulong unixNanos)
    {
        unixNanos = 0;
        const int secondsEnd = 19; // yyyy-MM-ddTHH:mm:ss
        if (value.Length < secondsEnd + 1) return false;

        var fractionNanos = 0L;
        var offsetStart = secondsEnd;
        if (value[secondsEnd] == '.')
        {
            var digits = 0;
            while (secondsEnd + 1 + digits < value.Length && char.IsAsciiDigit(value[secondsEnd + 1 + digits]))
                digits++;
            if (digits is 0 or > 9) return false;
            var fraction = value.Slice(secondsEnd + 1, digits);
            fractionNanos = long.Parse(fraction, NumberStyles.None, CultureInfo.InvariantCulture);
            for (var i = digits; i < 9; i++) fractionNanos *= 10;
            offsetStart = secondsEnd + 1 + digits;
        }

        var withoutFraction = string.Concat(value[..secondsEnd], value[offsetStart..]).Replace('t', 'T').Replace('z', 'Z');
        string[] formats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss'Z'"];
        if (!DateTimeOffset.TryParseExact(withoutFraction, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            return false;
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        if (ticks < 0) return false;
        unixNanos = (ulong)ticks * NanosPerTick + (ulong)fractionNanos;
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
}
