using Threadline.Query.Parameters;
using Threadline.Query.Search;

namespace Threadline.Query.Tests.Search;

public sealed class TagValuesQueryParserTests
{
    [Theory]
    [InlineData(null, TraceSearchService.DefaultTagValuesLimit)]
    [InlineData("", TraceSearchService.DefaultTagValuesLimit)]
    [InlineData(" 5 ", 5)]
    [InlineData("10000", 10_000)]
    public void Limit_defaults_and_parses(string? text, int expected)
    {
        var parameters = text is null ? QueryParameters.None : SearchQueryParserTests.Parameters(("limit", text));

        Assert.True(TagValuesQueryParser.TryParseLimit(parameters, out var limit, out var error), error.Message);
        Assert.Equal(expected, limit);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("10001")]
    [InlineData("-3")]
    [InlineData("99999999999999999999")]
    [InlineData("NaN")]
    public void Limit_out_of_range_names_limit_and_the_range(string text)
    {
        Assert.False(TagValuesQueryParser.TryParseLimit(SearchQueryParserTests.Parameters(("limit", text)), out _, out var error));

        Assert.Equal("limit", error.Parameter);
        Assert.Contains("from 1 to 10000 (default 100)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Limit_given_twice_is_refused()
    {
        Assert.False(TagValuesQueryParser.TryParseLimit(SearchQueryParserTests.Parameters(("limit", "5"), ("limit", "6")), out _, out var error));

        Assert.Equal("Parameter 'limit' is given 2 times; give it once.", error.Message);
    }
}
