using System.Globalization;

namespace Threadline.Core.Analysis;

/// <summary>Durations in the words of the analyses' messages: "1.5 ms", "250 µs", "3.2 s".</summary>
internal static class DurationText
{
    public static string Format(ulong nanos) => nanos switch
    {
        < 1_000 => nanos.ToString(CultureInfo.InvariantCulture) + " ns",
        < 1_000_000 => Scaled(nanos, 1_000) + " µs",
        < 1_000_000_000 => Scaled(nanos, 1_000_000) + " ms",
        _ => Scaled(nanos, 1_000_000_000) + " s",
    };

    private static string Scaled(ulong nanos, double unit) =>
        (nanos / unit).ToString(nanos / unit >= 100 ? "0" : "0.#", CultureInfo.InvariantCulture);
}
