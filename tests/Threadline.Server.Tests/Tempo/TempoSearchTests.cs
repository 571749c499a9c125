using System.Net;
using Google.Protobuf;
using Threadline.Query.TraceQL;
using Threadline.Server.Tests.Infrastructure;
using Wire = Threadline.Server.Tests.Tempo.Wire;

namespace Threadline.Server.Tests.Tempo;

public sealed class TempoSearchTests
{
    [Fact]
    public async Task Search_answers_tempos_json_shape()
    {
        var engine = new ScriptedTraceQLEngine { SearchResult = TempoResultsFixture.Search };
        await using var server = await TempoTestServer.StartAsync(engine);

        using var response = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/search?q=%7B%20status%20%3D%20error%20%7D&limit=5&spss=2&start=1700000000&end=1700003600");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(TempoTestServer.Golden("search.json"), body);
        var request = Assert.Single(engine.Searches);
        Assert.Equal(new TraceQLSearchRequest
        {
            Query = "{ status = error }", Limit = 5, SpansPerSpanset = 2,
            StartUnixNano = 1_700_000_000_000_000_000, EndUnixNano = 1_700_003_600_000_000_000,
        }, request);
    }

    [Fact]
    public async Task Search_json_parses_strictly_as_tempopb_and_protobuf_carries_the_same()
    {
        var engine = new ScriptedTraceQLEngine { SearchResult = TempoResultsFixture.Search };
        await using var server = await TempoTestServer.StartAsync(engine);

        using var json = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/search?q=%7B%7D");
        using var protobuf = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/search?q=%7B%7D", accept: "application/protobuf");

        var fromJson = new JsonParser(JsonParser.Settings.Default).Parse<Wire.SearchResponse>(await json.Content.ReadAsStringAsync());
        var fromProtobuf = Wire.SearchResponse.Parser.ParseFrom(await protobuf.Content.ReadAsByteArrayAsync());
        Assert.Equal(fromJson, fromProtobuf);
        Assert.Equal("2f3e0cee77ae5dc9", fromProtobuf.Traces[0].TraceID);
        Assert.Equal(12u, fromProtobuf.Traces[0].DurationMs);
        Assert.Equal(fromProtobuf.Traces[0].SpanSet, fromProtobuf.Traces[0].SpanSets.Single());
        Assert.Equal(500, fromProtobuf.Traces[0].SpanSet.Spans[0].Attributes[1].Value.IntValue);
        Assert.Equal(42ul, fromProtobuf.Metrics.InspectedSpans);
    }

    [Fact]
    public async Task Tag_search_becomes_quoted_traceql_that_no_tag_can_break_out_of()
    {
        var engine = new ScriptedTraceQLEngine();
        await using var server = await TempoTestServer.StartAsync(engine);
        var tags = Uri.EscapeDataString("service.name=cart http.status_code=500 status.code=error \"odd\\\"key=x\" team=\"a\\\" } || { true\"");

        using var response = await HttpTestClient.GetAsync(server.TempoEndpoint, $"/api/search?tags={tags}&minDuration=100ms&maxDuration=2s");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        // A key may not start with a quote (logfmt); the same search without it goes through.
        tags = Uri.EscapeDataString("service.name=cart http.status_code=500 status.code=error team=\"a\\\" } || { true\"");
        using var accepted = await HttpTestClient.GetAsync(server.TempoEndpoint, $"/api/search?tags={tags}&minDuration=100ms&maxDuration=2s");
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(
            "{ resource.service.name = \"cart\" } && { span.http.status_code = 500 } && { status = error } && "
            + "{ (span.\"team\" = \"a\\\" } || { true\" || resource.\"team\" = \"a\\\" } || { true\") } && "
            + "{ trace:duration >= 100ms && trace:duration <= 2000ms }",
            Assert.Single(engine.Searches).Query);
    }

    [Fact]
    public async Task Search_without_query_or_tags_asks_for_every_trace()
    {
        var engine = new ScriptedTraceQLEngine();
        await using var server = await TempoTestServer.StartAsync(engine);

        using var response = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/search");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"metrics":{}}""", await response.Content.ReadAsStringAsync());
        var request = Assert.Single(engine.Searches);
        Assert.Equal(("{ }", TraceQLSearchRequest.DefaultLimit, TraceQLSearchRequest.DefaultSpansPerSpanset), (request.Query, request.Limit, request.SpansPerSpanset));
    }

    [Theory]
    [InlineData("q=%7B%7D&tags=a%3Db", "invalid request: can't specify tags and q in the same query")]
    [InlineData("limit=0", "invalid limit: must be a positive number")]
    [InlineData("spss=x", "invalid spss: 'x' is not a whole number")]
    [InlineData("start=1700003600&end=1700000000", "http parameter start must be before end. received start=1700003600 end=1700000000")]
    [InlineData("start=2024-01-01T00:00:00Z&end=1700000000", "invalid start: '2024-01-01T00:00:00Z' is not Unix seconds (a whole number from 0 to 2147483647)")]
    [InlineData("minDuration=1s&maxDuration=10ms", "invalid maxDuration: must be greater than minDuration")]
    [InlineData("tags=a%3D%22open", "invalid tags: unterminated quoted value at pos 3")]
    [InlineData("tags=a%3D1%20a%3D2", "invalid tags: tag a has been set twice")]
    [InlineData("tags=status.code%3Dmaybe", "invalid tags: status.code must be error, ok or unset (or STATUS_CODE_ERROR, STATUS_CODE_OK, STATUS_CODE_UNSET), got 'maybe'")]
    public async Task Bad_search_parameters_are_400_with_the_reason_in_plain_text(string query, string reason)
    {
        var engine = new ScriptedTraceQLEngine();
        await using var server = await TempoTestServer.StartAsync(engine);

        using var response = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/search?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(reason, (await response.Content.ReadAsStringAsync()).TrimEnd('\n'));
        Assert.Empty(engine.Searches);
    }

    [Fact]
    public async Task A_syntax_error_is_400_naming_line_column_and_what_was_expected()
    {
        var engine = new ScriptedTraceQLEngine { Failure = new TraceQLSyntaxException("{ .a = }", 1, 8, "a value", "\"}\"") };
        await using var server = await TempoTestServer.StartAsync(engine);

        using var response = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/search?q=" + Uri.EscapeDataString("{ .a = }"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid TraceQL query: line 1, column 8: expected a value, found \"}\"", (await response.Content.ReadAsStringAsync()).TrimEnd('\n'));
    }

    [Fact]
    public async Task A_bound_the_engine_refuses_is_400_naming_it()
    {
        var engine = new ScriptedTraceQLEngine { Failure = new TraceQLQueryException("The limit 5000 is above the most traces one search returns, 1000 (MaxLimit).") };
        await using var server = await TempoTestServer.StartAsync(engine);

        using var response = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/search?q=%7B%7D&limit=5000");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("1000 (MaxLimit)", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
