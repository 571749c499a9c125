using System.Net;
using Threadline.Query.TraceQL;
using Threadline.Server.Tests.Infrastructure;

namespace Threadline.Server.Tests.Tempo;

/// <summary><c>/api/v1/traceql</c> and <c>/api/v1/traceql/metrics</c>: Tempo's JSON, native parameters and errors.</summary>
public sealed class TraceQLNativeApiTests
{
    [Fact]
    public async Task Search_answers_exactly_tempos_search_json()
    {
        var engine = new ScriptedTraceQLEngine { SearchResult = TempoResultsFixture.Search };
        await using var server = await TempoTestServer.StartAsync(engine);

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint,
            "/api/v1/traceql?q=" + Uri.EscapeDataString("{ status = error }") + "&start=2023-11-14T22:13:20Z&end=1700003600000000000&limit=5&spss=2");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TempoTestServer.Golden("search.json"), await response.Content.ReadAsStringAsync());
        Assert.Equal(new TraceQLSearchRequest
        {
            Query = "{ status = error }", Limit = 5, SpansPerSpanset = 2,
            StartUnixNano = 1_700_000_000_000_000_000, EndUnixNano = 1_700_003_600_000_000_000,
        }, Assert.Single(engine.Searches));
    }

    [Fact]
    public async Task Metrics_answer_exactly_tempos_query_range_json()
    {
        var engine = new ScriptedTraceQLEngine { MetricsResult = TempoResultsFixture.Metrics };
        await using var server = await TempoTestServer.StartAsync(engine);

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint,
            "/api/v1/traceql/metrics?q=" + Uri.EscapeDataString("{ } | rate() by (resource.service.name)") + "&start=1700000000000000000&end=1700003600000000000&step=1m");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TempoTestServer.Golden("query_range.json"), await response.Content.ReadAsStringAsync());
        Assert.Equal(60_000_000_000UL, Assert.Single(engine.MetricsQueries).StepNanos);
    }

    [Fact]
    public async Task A_syntax_error_is_400_with_line_column_and_what_was_expected()
    {
        var engine = new ScriptedTraceQLEngine { Failure = new TraceQLSyntaxException("{ .a = }", 1, 8, "a value", "\"}\"") };
        await using var server = await TempoTestServer.StartAsync(engine);

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/v1/traceql?q=" + Uri.EscapeDataString("{ .a = }"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await HttpTestClient.JsonAsync(response);
        Assert.Equal("Parameter 'q' is not valid TraceQL: line 1, column 8: expected a value, found \"}\"", error.GetProperty("error").GetString());
        Assert.Equal("q", error.GetProperty("parameter").GetString());
        Assert.Equal((1, 8, "a value"), (error.GetProperty("line").GetInt32(), error.GetProperty("column").GetInt32(), error.GetProperty("expected").GetString()));
    }

    [Fact]
    public async Task A_bound_is_400_naming_it()
    {
        var engine = new ScriptedTraceQLEngine { Failure = new TraceQLQueryException("The range 30 days is wider than MaxSearchRange (7 days).") };
        await using var server = await TempoTestServer.StartAsync(engine);

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/v1/traceql?q=%7B%7D&start=2023-10-01T00:00:00Z");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("The range 30 days is wider than MaxSearchRange (7 days).", (await HttpTestClient.JsonAsync(response)).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("/api/v1/traceql", "q", "Parameter 'q' is missing; give a TraceQL query such as { status = error }.")]
    [InlineData("/api/v1/traceql?q=%7B%7D&limit=0", "limit", "Parameter 'limit' is '0'; give a whole number from 1 to 2147483647 (default 20).")]
    [InlineData("/api/v1/traceql?q=%7B%7D&start=yesterday", "start", null)]
    [InlineData("/api/v1/traceql?q=%7B%7D&q=%7B%7D", "q", "Parameter 'q' is given 2 times; give it once.")]
    [InlineData("/api/v1/traceql/metrics?q=%7B%7D%7Crate()&step=0", "step", null)]
    public async Task Bad_parameters_are_400_naming_the_parameter(string path, string parameter, string? message)
    {
        var engine = new ScriptedTraceQLEngine();
        await using var server = await TempoTestServer.StartAsync(engine);

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await HttpTestClient.JsonAsync(response);
        Assert.Equal(parameter, error.GetProperty("parameter").GetString());
        if (message is not null) Assert.Equal(message, error.GetProperty("error").GetString());
        Assert.Empty(engine.Searches);
        Assert.Empty(engine.MetricsQueries);
    }
}
