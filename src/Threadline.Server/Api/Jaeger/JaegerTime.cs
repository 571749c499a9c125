using System.Globalization;
using Threadline.Query.Parameters;

namespace Threadline.Server.Api.Jaeger;

/// <summary>The time parameters of Jaeger's APIs: Unix microseconds and milliseconds, and UI lookbacks.</summary>
internal static class JaegerTime
{
    public static ulong UnixNanos(DateTimeOffset time) => (ulong)Math.Max(0, time.ToUnixTimeMilliseconds()) * 1_000_000;

    /// <summary>Unix microseconds (digits only), as nanoseconds.</summary>
    public static bool TryParseMicros(string parameter, string text, out ulong unixNanos, out ParameterError error) =>
        TryParseScaled(parameter, text, 1_000, "Unix microseconds", out unixNanos, out error);

    /// <summary>Unix milliseconds (digits only), as nanoseconds.</summary>
    public static bool TryParseMillis(string parameter, string text, out ulong unixNanos, out ParameterError error) =>
        TryParseScaled(parameter, text, 1_000_000, "Unix milliseconds", out unixNanos, out error);

    /// <summary>
    /// A lookback as the Jaeger UI sends it (<c>1h</c>, <c>2d</c>, <c>custom</c>): a Go duration or a
    /// whole number of days; <c>custom</c> or nothing means <paramref name="defaultValue"/>.
    /// </summary>
    public static bool TryParseLookback(string parameter, string? text, TimeSpan defaultValue, out ulong nanos, out ParameterError error)
    {
        error = default;
        nanos = (ulong)defaultValue.Ticks * 100;
        if (text is null || text == "custom") return true;
        if (text.EndsWith('d') && ulong.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days <= 36_500)
        {
            nanos = days * 86_400_000_000_000;
            return true;
        }
        if (DurationParser.TryParse(parameter, text, out nanos, out _)) return true;
        error = ParameterError.Create(parameter, $"is '{ParameterError.Echo(text)}'; give a duration such as 1h, 30m or 2d, or leave it out");
        return false;
    }

    private static bool TryParseScaled(string parameter, string text, ulong nanosPerUnit, string unit, out ulong unixNanos, out ParameterError error)
    {
        error = default;
        unixNanos = 0;
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= ulong.MaxValue / nanosPerUnit)
        {
            unixNanos = value * nanosPerUnit;
            return true;
        }
        error = ParameterError.Create(parameter, $"is '{ParameterError.Echo(text)}'; give a time in {unit} (digits only)");
        return false;
    }
}
