using Threadline.Query.Parameters;

namespace Threadline.Query.Tests.Parameters;

public sealed class TimestampParserTests
{
    [Theory]
    [InlineData("0", 0UL)]
    [InlineData("1700000000123456789", 1_700_000_000_123_456_789UL)]
    [InlineData("18446744073709551615", ulong.MaxValue)]
    [InlineData("2023-11-14T22:13:20Z", 1_700_000_000_000_000_000UL)]
    [InlineData("2023-11-14T22:13:20.123456789Z", 1_700_000_000_123_456_789UL)]
    [InlineData("2023-11-14T22:13:20.5Z", 1_700_000_000_500_000_000UL)]
    [InlineData("2023-11-15T00:13:20+02:00", 1_700_000_000_000_000_000UL)]
    [InlineData("2023-11-14T20:13:20-02:00", 1_700_000_000_000_000_000UL)]
    [InlineData("2023-11-14t22:13:20z", 1_700_000_000_000_000_000UL)]
    [InlineData("1970-01-01T00:00:00Z", 0UL)]
    [InlineData("1970-01-01T01:00:00+01:00", 0UL)]
    [InlineData("2554-07-21T23:34:33.709551615Z", ulong.MaxValue)]
    public void Parses_unix_nanoseconds_and_rfc3339(string text, ulong nanos)
    {
        Assert.True(TimestampParser.TryParse("start", text, out var parsed, out var error), error.Message);
        Assert.Equal(nanos, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("2023-11-14")]
    [InlineData("2023-11-14T22:13:20")]
    [InlineData("2023-11-14T22:13:20.1234567891Z")]
    [InlineData("2023-11-14T22:13:20.Z")]
    [InlineData("2024-02-30T00:00:00Z")]
    [InlineData("2024-01-01T00:00:00+24:00")]
    [InlineData("-1")]
    public void Refuses_anything_else(string text)
    {
        Assert.False(TimestampParser.TryParse("end", text, out _, out var error));
        Assert.Equal("end", error.Parameter);
        Assert.StartsWith("Parameter 'end' is ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("18446744073709551616")]
    [InlineData("99999999999999999999999999999999")]
    [InlineData("1969-12-31T23:59:59.999999999Z")]
    [InlineData("1970-01-01T00:00:00+00:01")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("2554-07-21T23:34:33.709551616Z")]
    [InlineData("9999-12-31T23:59:59.999999999-23:59")]
    public void Out_of_range_times_are_refused_with_the_accepted_range_not_wrapped_around(string text)
    {
        Assert.False(TimestampParser.TryParse("start", text, out var parsed, out var error));
        Assert.Equal(0UL, parsed);
        Assert.Contains(TimestampParser.AcceptedRange, error.Message, StringComparison.Ordinal);
    }
}
