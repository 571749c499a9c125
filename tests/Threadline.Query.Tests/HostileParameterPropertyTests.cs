using System.Globalization;
using System.Numerics;
using System.Text;
using Threadline.Query.Parameters;
using Threadline.Query.Search;
using Threadline.Storage;
using Threadline.Storage.Memory;
using Threadline.Tests.Shared;

namespace Threadline.Query.Tests;

/// <summary>
/// Property tests over hostile parameter values, seeded as the decoders' corruption tests are: every
/// parser answers every value with a result or an error naming its parameter (never an exception),
/// out-of-range values are refused with the accepted range, and in-range ones parse to the value an
/// independent oracle computes.
/// </summary>
public sealed class HostileParameterPropertyTests
{
    private const int Seed = 20_261_201;
    private const int RandomValuesPerParser = 10_000;
    private const int MaxMessageLength = 600;

    private delegate bool Parse(string text, out ParameterError error);

    // Each parser with the parameter it reads; the search parser once per parameter it knows.
    private static readonly (string Parameter, Parse Parse)[] Parsers =
    [
        ("minDuration", (string t, out ParameterError e) => DurationParser.TryParse("minDuration", t, out _, out e)),
        ("start", (string t, out ParameterError e) => TimestampParser.TryParse("start", t, out _, out e)),
        ("limit", (string t, out ParameterError e) => LimitParser.TryParse("limit", t, 1, 10_000, 20, out _, out e)),
        ("traceId", (string t, out ParameterError e) => TraceIdParser.TryParse("traceId", t, out _, out e)),
        ("limit", (string t, out ParameterError e) => TagValuesQueryParser.TryParseLimit(One("limit", t), out _, out e)),
        .. new[] { "service", "name", "kind", "status", "minDuration", "maxDuration", "start", "end", "limit", "attr", "tags" }
            .Select(p => (p, (Parse)((string t, out ParameterError e) => SearchQueryParser.TryParse(One(p, t), out _, out e)))),
    ];

    [Fact]
    public void Every_parser_answers_every_hostile_value_with_a_result_or_an_error_naming_its_parameter()
    {
        var random = new Random(Seed);
        var values = HostileValues.Extremes.Concat(Enumerable.Range(0, RandomValuesPerParser).Select(_ => HostileValues.Next(random, 100_000))).ToArray();
        var refused = 0;
        foreach (var (parameter, parse) in Parsers)
        {
            foreach (var value in values)
            {
                bool ok;
                ParameterError error;
                try
                {
                    ok = parse(value, out error);
                }
                catch (Exception ex)
                {
                    throw new Xunit.Sdk.XunitException($"{parameter}={Show(value)} threw {ex}");
                }
                if (ok) continue;
                refused++;
                AssertNames(parameter, error, value);
                if (parameter == "limit")
                    Assert.Contains("; give a whole number from 1 to 10000 (default ", error.Message, StringComparison.Ordinal);
            }
        }
        Assert.True(refused > values.Length, "most hostile values are refused");
    }

    [Fact]
    public void Durations_parse_to_the_exact_nanoseconds_or_are_refused_with_the_range()
    {
        var random = new Random(Seed);
        string[] units = ["ns", "us", "µs", "ms", "s", "m", "h"];
        BigInteger[] scales = [1, 1_000, 1_000, 1_000_000, 1_000_000_000, 60_000_000_000, 3_600_000_000_000];
        for (var i = 0; i < RandomValuesPerParser; i++)
        {
            var text = new StringBuilder();
            BigInteger expected = 0;
            for (var pairs = random.Next(1, 4); pairs > 0; pairs--)
            {
                // Whole parts of any size up to 25 digits; fractions of at most 18 digits, all of which count.
                var whole = RandomDigits(random, random.Next(1, 26));
                var fraction = random.Next(2) == 0 ? "" : RandomDigits(random, random.Next(1, 19));
                var unit = random.Next(units.Length);
                text.Append(whole).Append(fraction.Length > 0 ? "." + fraction : "").Append(units[unit]);
                expected += BigInteger.Parse(whole, CultureInfo.InvariantCulture) * scales[unit]
                    + (fraction.Length == 0 ? 0 : BigInteger.Parse(fraction, CultureInfo.InvariantCulture) * scales[unit] / BigInteger.Pow(10, fraction.Length));
            }

            var ok = DurationParser.TryParse("maxDuration", text.ToString(), out var nanos, out var error);

            if (expected <= long.MaxValue)
            {
                Assert.True(ok, $"{text}: {error.Message}");
                Assert.Equal((ulong)expected, nanos);
            }
            else
            {
                Assert.False(ok, $"{text} is {expected} ns, past the range, yet parsed as {nanos}");
                Assert.Contains(DurationParser.AcceptedRange, error.Message, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Timestamps_parse_to_the_exact_nanoseconds_or_are_refused_with_the_range()
    {
        var random = new Random(Seed);
        for (var i = 0; i < RandomValuesPerParser; i++)
        {
            string text;
            BigInteger expected;
            if (random.Next(2) == 0)
            {
                // Unix nanoseconds of up to 22 digits: around and past ulong.MaxValue (20 digits).
                text = RandomDigits(random, random.Next(1, 23));
                expected = BigInteger.Parse(text, CultureInfo.InvariantCulture);
            }
            else
            {
                var seconds = random.NextInt64(DateTime.MinValue.Ticks / TimeSpan.TicksPerSecond, DateTime.MaxValue.Ticks / TimeSpan.TicksPerSecond);
                var local = new DateTime(seconds * TimeSpan.TicksPerSecond, DateTimeKind.Unspecified);
                var fractionDigits = random.Next(0, 10);
                var fraction = RandomDigits(random, fractionDigits);
                var offsetMinutes = random.Next(-(23 * 60 + 59), 23 * 60 + 60);
                var offset = random.Next(4) == 0 && offsetMinutes == 0 ? "Z"
                    : $"{(offsetMinutes < 0 ? '-' : '+')}{Math.Abs(offsetMinutes) / 60:D2}:{Math.Abs(offsetMinutes) % 60:D2}";
                text = local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + (fractionDigits > 0 ? "." + fraction : "") + offset;
                expected = (new BigInteger(seconds) - DateTime.UnixEpoch.Ticks / TimeSpan.TicksPerSecond) * 1_000_000_000
                    + (fractionDigits > 0 ? BigInteger.Parse(fraction, CultureInfo.InvariantCulture) * BigInteger.Pow(10, 9 - fractionDigits) : 0)
                    - new BigInteger(offsetMinutes) * 60_000_000_000;
            }

            var ok = TimestampParser.TryParse("end", text, out var nanos, out var error);

            if (expected >= 0 && expected <= ulong.MaxValue)
            {
                Assert.True(ok, $"{text}: {error.Message}");
                Assert.Equal((ulong)expected, nanos);
            }
            else
            {
                Assert.False(ok, $"{text} is {expected} ns from the epoch, outside the range, yet parsed as {nanos}");
                Assert.Contains(TimestampParser.AcceptedRange, error.Message, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Random_searches_are_refused_by_a_parameter_given_or_run_within_the_service_bounds()
    {
        var random = new Random(Seed);
        var service = new TraceSearchService(new MemoryTraceStore());
        string[] known = ["service", "name", "kind", "status", "minDuration", "maxDuration", "start", "end", "limit", "attr", "tags"];
        var accepted = 0;
        for (var i = 0; i < RandomValuesPerParser; i++)
        {
            var pairs = Enumerable.Range(0, random.Next(0, 5))
                .Select(_ => KeyValuePair.Create(HostileValues.NextName(random, known), random.Next(3) == 0 ? Valid(random) : HostileValues.Next(random, 2_000)))
                .ToArray();
            var parameters = new QueryParameters(pairs);

            if (!SearchQueryParser.TryParse(parameters, out var query, out var error))
            {
                Assert.Contains(error.Parameter, pairs.Select(p => ParameterError.Echo(p.Key)));
                AssertNames(error.Parameter, error, string.Join("&", pairs));
                continue;
            }
            accepted++;
            // The service refuses out-of-bounds queries with an exception: none may get past the parser.
            await service.SearchAsync(query, CancellationToken.None);
        }
        Assert.True(accepted > 0, "some random searches are valid");
    }

    // A well-formed value for a known parameter, so that combinations (min > max, start > end) occur.
    private static string Valid(Random random) => random.Next(4) switch
    {
        0 => $"{random.Next(0, 5000)}ms",
        1 => (1_700_000_000_000_000_000UL + (ulong)random.Next()).ToString(CultureInfo.InvariantCulture),
        2 => random.Next(1, 200).ToString(CultureInfo.InvariantCulture),
        _ => "k=v",
    };

    private static void AssertNames(string parameter, ParameterError error, string value)
    {
        var context = $"{parameter}={Show(value)}: {error.Message}";
        Assert.True(error.Parameter == parameter, context);
        Assert.True(error.Message.Contains($"'{parameter}'", StringComparison.Ordinal), context);
        Assert.True(error.Message.Length <= MaxMessageLength, $"{context} is longer than {MaxMessageLength} characters");
        // The message must survive being written as UTF-8 JSON.
        _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetBytes(error.Message);
    }

    private static QueryParameters One(string name, string value) => new([KeyValuePair.Create(name, value)]);

    private static string RandomDigits(Random random, int count)
    {
        var chars = new char[count];
        for (var i = 0; i < count; i++) chars[i] = (char)('0' + random.Next(10));
        return new string(chars);
    }

    private static string Show(string value) => value.Length > 200 ? $"{value[..200]}… ({value.Length} chars)" : value;
}
