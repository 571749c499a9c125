using Threadline.Server.Api;

namespace Threadline.Server.Tests.Api;

public sealed class TimestampParserTests
{
    [Theory]
    [InlineData("1700000000123456789", 1_700_000_000_123_456_789UL)]
    [InlineData("2023-11-14T22:13:20Z", 1_700_000_000_000_000_000UL)]
    [InlineData("2023-11-14T22:13:20.123456789Z", 1_700_000_000_123_456_789UL)]
    [InlineData("2023-11-14T22:13:20.5Z", 1_700_000_000_500_000_000UL)]
    [InlineData("2023-11-15T00:13:20+02:00", 1_700_000_000_000_000_000UL)]
    [InlineData("2023-11-14t22:13:20z", 1_700_000_000_000_000_000UL)]
    public void Parses_unix_nanoseconds_and_rfc3339(string text, ulong nanos)
    {
        Assert.True(TimestampParser.TryParse(text, out var parsed, out var error), error);
        Assert.Equal(nanos, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("2023-11-14")]
    [InlineData("2023-11-14T22:13:20")]
    [InlineData("2023-11-14T22:13:20.1234567891Z")]
    [InlineData("1969-12-31T23:59:59Z")]
    [InlineData("99999999999999999999")]
    public void Refuses_anything_else(string text)
    {
        Assert.False(TimestampParser.TryParse(text, out _, out var error));
        Assert.NotEmpty(error);
    }
}
