using Threadline.Query.Parameters;

namespace Threadline.Query.Tests.Parameters;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("0", 0UL)]
    [InlineData("100ns", 100UL)]
    [InlineData("500us", 500_000UL)]
    [InlineData("500µs", 500_000UL)]
    [InlineData("500μs", 500_000UL)]
    [InlineData("150ms", 150_000_000UL)]
    [InlineData("1.5s", 1_500_000_000UL)]
    [InlineData("1.2s", 1_200_000_000UL)]
    [InlineData("2m", 120_000_000_000UL)]
    [InlineData("1h30m", 5_400_000_000_000UL)]
    [InlineData(".5ms", 500_000UL)]
    [InlineData("1.s", 1_000_000_000UL)]
    [InlineData(" 150ms ", 150_000_000UL)]
    [InlineData("0.0000000000000000000000001ns", 0UL)]
    [InlineData("2562047h", 2_562_047UL * 3_600_000_000_000UL)]
    [InlineData("9223372036854775807ns", 9_223_372_036_854_775_807UL)]
    [InlineData("2562047h47m16.854775807s", 9_223_372_036_854_775_807UL)]
    public void Parses_go_style_durations(string text, ulong nanos)
    {
        Assert.True(DurationParser.TryParse("minDuration", text, out var parsed, out var error), error.Message);
        Assert.Equal(nanos, parsed);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("150", "a number without a unit; add one of ns, us, ms, s, m, h (e.g. 150ms)")]
    [InlineData("3d", "unknown unit 'd'")]
    [InlineData("1..5s", "unknown unit '.'")]
    [InlineData(".", "not a duration")]
    [InlineData("ms", "not a duration")]
    [InlineData("-1s", "a negative duration; give one " + DurationParser.AcceptedRange)]
    [InlineData("99999999999h", "too long a duration; give one " + DurationParser.AcceptedRange)]
    [InlineData("99999999999999999999h", "too long a duration; give one " + DurationParser.AcceptedRange)]
    [InlineData("9223372036854775808ns", "too long a duration")]
    [InlineData("2562047h47m16.854775808s", "too long a duration")]
    [InlineData("1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h1h9223372036854775807ns", "too long a duration")]
    public void Refuses_what_it_cannot_read_and_says_why(string text, string problem)
    {
        Assert.False(DurationParser.TryParse("minDuration", text, out _, out var error));
        Assert.Equal("minDuration", error.Parameter);
        Assert.StartsWith("Parameter 'minDuration' is ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_overflow_message_is_the_one_docs_api_md_shows()
    {
        Assert.False(DurationParser.TryParse("minDuration", "99999999999999999999h", out _, out var error));

        Assert.Equal("Parameter 'minDuration' is '99999999999999999999h', too long a duration; give one from 0 to 2562047h (about 292 years).", error.Message);
    }

    [Fact]
    public void A_whole_part_of_hundreds_of_digits_is_too_long_not_an_overflow()
    {
        var text = new string('9', 400) + "h";

        Assert.False(DurationParser.TryParse("maxDuration", text, out _, out var error));

        Assert.Contains(DurationParser.AcceptedRange, error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 400, "the echoed value is cut short");
    }
}
