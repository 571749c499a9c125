using Threadline.Core.Model;
using Threadline.Query.Parameters;
using Threadline.Query.Search;

namespace Threadline.Query.Tests.Search;

public sealed class SearchQueryParserTests
{
    [Fact]
    public void Every_parameter_reaches_the_query()
    {
        var parameters = Parameters(
            ("service", "checkout"), ("name", "GET /cart"), ("kind", "Server"), ("status", "ERROR"),
            ("minDuration", "100ms"), ("maxDuration", "2s"), ("start", "2023-11-14T22:13:20Z"), ("end", "1700000001000000000"),
            ("limit", "7"), ("attr", "http.route=/cart"), ("attr", "a=b=c"), ("tags", "{\"db.system\":\"postgresql\",\"n\":5,\"t\":true}"));

        Assert.True(SearchQueryParser.TryParse(parameters, out var query, out var error), error.Message);

        Assert.Equal("checkout", query.ServiceName);
        Assert.Equal("GET /cart", query.SpanName);
        Assert.Equal(SpanKind.Server, query.Kind);
        Assert.Equal(StatusCode.Error, query.Status);
        Assert.Equal(100_000_000UL, query.MinDurationNanos);
        Assert.Equal(2_000_000_000UL, query.MaxDurationNanos);
        Assert.Equal(1_700_000_000_000_000_000UL, query.StartTimeUnixNano);
        Assert.Equal(1_700_000_001_000_000_000UL, query.EndTimeUnixNano);
        Assert.Equal(7, query.Limit);
        Assert.Equal(
            [new("http.route", "/cart"), new("a", "b=c"), new("db.system", "postgresql"), new("n", "5"), new("t", "true")],
            query.Attributes);
    }

    [Fact]
    public void No_parameters_is_the_default_search()
    {
        Assert.True(SearchQueryParser.TryParse(QueryParameters.None, out var query, out _));

        Assert.Equal(TraceSearchService.DefaultSearchLimit, query.Limit);
        Assert.Equal((0UL, 0UL), (query.StartTimeUnixNano, query.EndTimeUnixNano));
        Assert.Empty(query.Attributes);
    }

    [Fact]
    public void Empty_values_count_as_not_given()
    {
        var parameters = Parameters(("service", ""), ("kind", " "), ("minDuration", ""), ("start", ""), ("limit", ""), ("attr", ""), ("tags", ""));

        Assert.True(SearchQueryParser.TryParse(parameters, out var query, out var error), error.Message);

        Assert.Equal(new Storage.TraceQuery { Attributes = query.Attributes }, query);
        Assert.Empty(query.Attributes);
    }

    [Theory]
    [InlineData("minDuration", "99999999999999999999h", DurationParser.AcceptedRange)]
    [InlineData("maxDuration", "-5m", DurationParser.AcceptedRange)]
    [InlineData("start", "18446744073709551616", TimestampParser.AcceptedRange)]
    [InlineData("end", "9999-12-31T23:59:59Z", TimestampParser.AcceptedRange)]
    [InlineData("limit", "99999999999999999999", "from 1 to 10000 (default 20)")]
    [InlineData("limit", "-1", "from 1 to 10000 (default 20)")]
    public void Out_of_range_values_name_the_parameter_and_the_accepted_range(string parameter, string value, string range)
    {
        Assert.False(SearchQueryParser.TryParse(Parameters((parameter, value)), out _, out var error));

        Assert.Equal(parameter, error.Parameter);
        Assert.Contains($"'{parameter}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(range, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("minDuration", "2s", "maxDuration", "1s", "minDuration")]
    [InlineData("start", "2024-01-02T00:00:00Z", "end", "2024-01-01T00:00:00Z", "start")]
    [InlineData("start", "5", "end", "0", "start")]
    [InlineData("limit", "1", "limit", "1", "limit")]
    [InlineData("attr", "a=b", "servce", "x", "servce")]
    public void Conflicting_repeated_or_unknown_parameters_are_refused_by_name(string name1, string value1, string name2, string value2, string parameter)
    {
        Assert.False(SearchQueryParser.TryParse(Parameters((name1, value1), (name2, value2)), out _, out var error));

        Assert.Equal(parameter, error.Parameter);
    }

    [Fact]
    public void Tags_with_a_lone_surrogate_are_refused_as_invalid_json()
    {
        var tags = "{\"a\":\"" + '\uD800' + "\"}";

        Assert.False(SearchQueryParser.TryParse(Parameters(("tags", tags)), out _, out var error));

        Assert.Equal("Parameter 'tags' is not valid JSON (it holds an unpaired surrogate character).", error.Message);
    }

    [Theory]
    [InlineData("{\"a\":\"\\ud800\"}")]
    [InlineData("{\"\\udc00\":\"b\"}")]
    [InlineData("{\"a\":{}}")]
    [InlineData("[]")]
    [InlineData("{")]
    public void Tags_that_are_not_a_flat_json_object_are_refused(string tags)
    {
        Assert.False(SearchQueryParser.TryParse(Parameters(("tags", tags)), out _, out var error));

        Assert.Equal("tags", error.Parameter);
    }

    [Fact]
    public void An_unknown_parameter_with_a_hostile_name_is_echoed_safely()
    {
        var name = "\uD800" + new string('n', 500);

        Assert.False(SearchQueryParser.TryParse(Parameters((name, "1")), out _, out var error));

        Assert.Equal(ParameterError.Echo(name), error.Parameter);
        Assert.StartsWith("Unknown parameter '\uFFFDnnn", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 400);
    }

    internal static QueryParameters Parameters(params (string Name, string Value)[] pairs) =>
        new(pairs.Select(p => KeyValuePair.Create(p.Name, p.Value)));
}
