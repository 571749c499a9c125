using System.Globalization;
using System.Text;

namespace Threadline.Tests.Shared;

/// <summary>
/// Query parameter values a careless or hostile client sends: extremes of every format the APIs
/// read (durations, timestamps, limits, ids, JSON), plus random text. Seeded, so a failure is
/// reproduced by its seed. Shared by the parser-level and the real-server property tests.
/// </summary>
internal static class HostileValues
{
    /// <summary>Every value tried for every parameter, besides the random ones.</summary>
    public static readonly string[] Extremes =
    [
        // Empty and blank.
        "", " ", "\t", "\u00A0", "\u3000", "\r\n",
        // Huge, negative and not numbers at all.
        "0", "-0", "-1", "+1", "1e308", "1e999", "-1e999", "0x10", "1_000", "1,5", "01",
        "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
        "18446744073709551615", "18446744073709551616", "99999999999999999999", "99999999999999999999999999999999999999999",
        new string('9', 400), "0." + new string('0', 400) + "1",
        "NaN", "nan", "-NaN", "Infinity", "-Infinity", "inf", "-inf", "∞", "1/0", "null", "undefined", "true",
        // Durations near and past the bounds, and units that do not exist.
        "99999999999999999999h", "99999999999999999999ns", "2562047h", "2562048h", "2562047h47m16.854775807s",
        "2562047h47m16.854775808s", "9223372036854775807ns", "9223372036854775808ns", "18446744073709551616ns",
        "1.99999999999999999999999999999h", "0.0000000000000000000000001ns", "1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h",
        string.Concat(Enumerable.Repeat("999999999999h", 50)), "-1s", "-0s", "+1s", "1.5", "1..5s", ".s", ".", "1.s", ".5ms",
        "5d", "1w", "1y", "5 s", "5S", "5MS", "5Ms", "5µs", "5μs", "1e3ms", "1.5e2s", "１s", "١s", "5sec", "P1D", "PT5M",
        // Timestamps before, after and around the range, and impossible dates.
        "1969-12-31T23:59:59.999999999Z", "1970-01-01T00:00:00Z", "1970-01-01T00:00:00+00:01", "0001-01-01T00:00:00Z",
        "0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59Z", "9999-12-31T23:59:59.999999999-23:59", "10000-01-01T00:00:00Z",
        "2554-07-21T23:34:33.709551615Z", "2554-07-21T23:34:33.709551616Z", "2262-04-11T23:47:16.854775807Z",
        "2024-02-30T00:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01T23:59:60Z", "2024-01-01T00:00:00+24:00",
        "2024-01-01T00:00:00+99:99", "2024-01-01T00:00:00.Z", "2024-01-01T00:00:00.1234567890Z", "2024-01-01 00:00:00Z",
        "2024-01-01T00:00:00", "2024-01-01", "-2024-01-01T00:00:00Z", "２０２４-01-01T00:00:00Z",
        // Ids: the wrong length, all zero, not hex.
        "00000000000000000000000000000000", "0000000000000000", "ffffffffffffffffffffffffffffffff", "FFFFFFFFFFFFFFFF",
        "0af7651916cd43dd8448eb211c80319g", "0af7651916cd43dd8448eb211c80319c0", " 0af7651916cd43dd8448eb211c80319c",
        // Kinds and statuses in other spellings.
        "SERVER", "Server ", "span_kind_server", "2", "ERROR", "STATUS_CODE_ERROR",
        // attr and tags shapes.
        "=", "==", "=v", "k=", "k==v", "k=v=w", "{", "}", "[]", "{}", "null", "\"s\"", "{\"a\":}", "{\"a\":{}}", "{\"a\":[1]}",
        "{\"a\":null}", "{\"a\":1e999}", "{\"a\":\"b\",\"a\":\"c\"}", "{\"\":\"\"}", new string('[', 200) + new string(']', 200),
        new string('{', 10) + "\"a\":" + new string('}', 10), "{\"a\":\"\\ud800\"}", "{\"a\":\"\\u0000\"}",
        // Percent-encoded junk, as a client that encodes twice or not at all sends it.
        "%", "%%", "%zz", "%00", "%ff%fe", "%2F", "%252F", "%E2%82", "%ED%A0%80", "%C0%AF", "a%00b", "&", "=&=", "#frag", "?",
        // Unicode: right-to-left, combining, emoji, the replacement character, control characters.
        "\u202Eevil", "e\u0301", "🙂", "\uFFFD", "\u0000", "\u0007", "\u001B[31m", "\uFEFF1s",
    ];

    /// <summary>A random value: a mutated extreme, a random number with a random unit, or random text.</summary>
    public static string Next(Random random, int maxLength)
    {
        var value = random.Next(6) switch
        {
            0 => Extremes[random.Next(Extremes.Length)],
            1 => RandomNumber(random) + RandomUnit(random),
            2 => string.Concat(Enumerable.Range(0, random.Next(1, 4)).Select(_ => RandomNumber(random) + RandomUnit(random))),
            3 => RandomTimestamp(random),
            4 => RandomText(random, random.Next(0, Math.Min(maxLength, 64))),
            _ => Mutate(random, Extremes[random.Next(Extremes.Length)]),
        };
        return value.Length > maxLength ? value[..maxLength] : value;
    }

    /// <summary>A random parameter name: usually one the route knows, sometimes a typo or junk.</summary>
    public static string NextName(Random random, IReadOnlyList<string> known) => random.Next(8) switch
    {
        0 => RandomText(random, random.Next(0, 12)),
        1 => known[random.Next(known.Count)].ToUpperInvariant(),
        2 => known[random.Next(known.Count)] + "x",
        _ => known[random.Next(known.Count)],
    };

    /// <summary>Digits, sometimes with a fraction or a sign, from one digit to hundreds.</summary>
    public static string RandomNumber(Random random)
    {
        var length = random.Next(8) == 0 ? random.Next(20, 300) : random.Next(1, 22);
        var builder = new StringBuilder();
        if (random.Next(10) == 0) builder.Append(random.Next(2) == 0 ? '-' : '+');
        for (var i = 0; i < length; i++) builder.Append((char)('0' + random.Next(10)));
        if (random.Next(3) == 0)
        {
            builder.Append('.');
            for (var i = random.Next(0, 30); i > 0; i--) builder.Append((char)('0' + random.Next(10)));
        }
        return builder.ToString();
    }

    private static readonly string[] UnitsAndJunk = ["ns", "us", "µs", "μs", "ms", "s", "m", "h", "", "d", "S", "H", "mss", " ", "ns ", "sm"];

    private static string RandomUnit(Random random) => UnitsAndJunk[random.Next(UnitsAndJunk.Length)];

    // Any year .NET can write, any fraction, any offset: many fall outside 1970..2554.
    private static string RandomTimestamp(Random random)
    {
        var ticks = random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks);
        var time = new DateTime(ticks - ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        var fraction = random.Next(3) == 0 ? "." + random.Next(0, 1_000_000_000).ToString("D9", CultureInfo.InvariantCulture)[..random.Next(1, 10)] : "";
        var offset = random.Next(3) switch
        {
            0 => "Z",
            1 => $"{(random.Next(2) == 0 ? '+' : '-')}{random.Next(0, 24):D2}:{random.Next(0, 60):D2}",
            _ => "z",
        };
        return time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + fraction + offset;
    }

    private const string FormatCharacters = "0123456789.-+:TZnsuµmh=%{}[]\"\\ ";

    /// <summary>Random UTF-16 text, lone surrogates included.</summary>
    public static string RandomText(Random random, int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = random.Next(4) switch
            {
                0 => (char)random.Next(0x20, 0x7F),
                1 => (char)random.Next(0, 0x20),
                2 => FormatCharacters[random.Next(FormatCharacters.Length)],
                _ => (char)random.Next(0x80, 0x10000),
            };
        }
        return new string(chars);
    }

    private static string Mutate(Random random, string value)
    {
        var chars = value.ToList();
        for (var edits = random.Next(1, 4); edits > 0; edits--)
        {
            var at = chars.Count == 0 ? 0 : random.Next(chars.Count);
            switch (random.Next(3))
            {
                case 0: chars.Insert(at, RandomText(random, 1)[0]); break;
                case 1 when chars.Count > 0: chars.RemoveAt(at); break;
                default: if (chars.Count > 0) chars[at] = "0123456789.-eE:Z"[random.Next(16)]; break;
            }
        }
        return new string([.. chars]);
    }
}
