using Threadline.Query.Analysis;
using Threadline.Query.Parameters;
using Threadline.Query.TraceQL;
using Threadline.Tests.Shared;

namespace Threadline.Query.Tests.Analysis;

public sealed class TriageQueryParserTests
{
    private const ulong Now = 1_764_547_200_000_000_000; // 2025-12-01T00:00:00Z
    private const ulong Hour = 3_600_000_000_000;

    [Fact]
    public void Defaults_are_the_rest_as_baseline_the_last_hour_and_twenty_values()
    {
        Assert.True(Parse(out var request, out _, ("selection", "error")));

        Assert.IsType<TriageSelection.Errors>(request!.Selection);
        Assert.Equal((TriageBaseline.Rest, Now - Hour, Now, 20), (request.Baseline, request.StartUnixNano, request.EndUnixNano, request.Limit));
        Assert.Null(request.Service);
        Assert.Null(request.Operation);
    }

    [Fact]
    public void Every_parameter_is_read()
    {
        Assert.True(Parse(out var request, out _, ("selection", "slow:1.5s"), ("service", "checkout"), ("operation", "POST /pay"),
            ("baseline", "previous"), ("start", "2025-11-30T23:00:00Z"), ("end", "1764547200000000000"), ("limit", "5")));

        Assert.Equal(new TriageSelection.Slow(1_500_000_000), request!.Selection);
        Assert.Equal(("checkout", "POST /pay", TriageBaseline.Previous, Now - Hour, Now, 5),
            (request.Service, request.Operation, request.Baseline, request.StartUnixNano, request.EndUnixNano, request.Limit));
    }

    [Fact]
    public void A_spanset_filter_is_a_selection()
    {
        Assert.True(Parse(out var request, out _, ("selection", "{ span.http.response.status_code >= 500 && resource.region = \"eu\" }")));

        var filter = Assert.IsType<TriageSelection.Filter>(request!.Selection);
        Assert.Equal("{ span.http.response.status_code >= 500 && resource.region = \"eu\" }", filter.Query);
    }

    [Theory]
    [InlineData("selection", null, "selection")]
    [InlineData("selection", "errors", "selection")]
    [InlineData("selection", "slow:", "selection")]
    [InlineData("selection", "slow:fast", "selection")]
    [InlineData("selection", "slow:0", "selection")]
    [InlineData("selection", "{ .a = 1 } >> { .b = 2 }", "selection")]
    [InlineData("selection", "{ .a = 1 } | count() > 2", "selection")]
    [InlineData("selection", "{ parent.a = 1 }", "selection")]
    [InlineData("baseline", "yesterday", "baseline")]
    [InlineData("start", "soon", "start")]
    [InlineData("end", "0", "end")]
    [InlineData("start", "1000000000000000000", "start")]
    [InlineData("limit", "0", "limit")]
    [InlineData("limit", "5000", "limit")]
    [InlineData("colour", "red", "colour")]
    public void A_bad_parameter_is_refused_by_name(string parameter, string? value, string named)
    {
        var pairs = new List<(string, string)>();
        if (parameter != "selection") pairs.Add(("selection", "error"));
        if (value is not null) pairs.Add((parameter, value));

        Assert.False(Parse(out _, out var error, [.. pairs]));

        Assert.Equal(named, error.Parameter);
        Assert.Contains($"'{named}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_parameter_given_twice_is_refused()
    {
        Assert.False(Parse(out _, out var error, ("selection", "error"), ("service", "a"), ("service", "b")));
        Assert.Equal("service", error.Parameter);
    }

    [Fact]
    public void A_selection_that_is_not_valid_TraceQL_names_line_and_column()
    {
        var ex = Assert.Throws<TraceQLSyntaxException>(() => Parse(out _, out _, ("selection", "{ span.a = }")));
        Assert.Equal((1, 12), (ex.Line, ex.Column));
    }

    [Fact]
    public void Hostile_values_get_an_answer_or_an_error_naming_their_parameter()
    {
        var random = new Random(20_261_201);
        var values = HostileValues.Extremes.Concat(Enumerable.Range(0, 500).Select(_ => HostileValues.Next(random, 10_000)));
        foreach (var parameter in new[] { "selection", "service", "operation", "baseline", "start", "end", "limit" })
        {
            foreach (var value in values)
            {
                var pairs = parameter == "selection" ? new[] { (parameter, value) } : [("selection", "error"), (parameter, value)];
                try
                {
                    if (!Parse(out _, out var error, pairs)) Assert.True(error.Parameter is "selection" or "start" || error.Parameter == parameter, $"{parameter}: {error}");
                }
                catch (TraceQLSyntaxException) when (parameter == "selection")
                {
                }
                catch (TraceQLQueryException) when (parameter == "selection")
                {
                }
            }
        }
    }

    private static bool Parse(out TriageRequest? request, out ParameterError error, params (string Name, string Value)[] pairs) =>
        TriageQueryParser.TryParse(new QueryParameters(pairs.Select(p => KeyValuePair.Create(p.Name, p.Value))), Now, new TraceQLOptions(), out request, out error);
}
