using Threadline.Server.Api;

namespace Threadline.Server.Tests.Api;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("0", 0UL)]
    [InlineData("100ns", 100UL)]
    [InlineData("500us", 500_000UL)]
    [InlineData("500µs", 500_000UL)]
    [InlineData("150ms", 150_000_000UL)]
    [InlineData("1.5s", 1_500_000_000UL)]
    [InlineData("2m", 120_000_000_000UL)]
    [InlineData("1h30m", 5_400_000_000_000UL)]
    [InlineData(".5ms", 500_000UL)]
    public void Parses_go_style_durations(string text, ulong nanos)
    {
        Assert.True(DurationParser.TryParse(text, out var parsed, out var error), error);
        Assert.Equal(nanos, parsed);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("150", "without a unit")]
    [InlineData("3d", "unknown unit 'd'")]
    [InlineData("-1s", "not a duration")]
    [InlineData("1..5s", "unknown unit")]
    [InlineData("99999999999h", "too long")]
    public void Refuses_what_it_cannot_read_and_says_why(string text, string problem)
    {
        Assert.False(DurationParser.TryParse(text, out _, out var error));
        Assert.Contains(problem, error, StringComparison.Ordinal);
    }
}
