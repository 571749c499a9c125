using System.Net;
using System.Text.Json;
using Threadline.Server.Tests.Infrastructure;

namespace Threadline.Server.Tests.Jaeger;

/// <summary>Jaeger's v3 API as Jaeger v2's HTTP gateway serves it: OTLP JSON in <c>result</c>, summaries, its error object.</summary>
public sealed class JaegerV3ApiTests
{
    private const string Window = "query.startTimeMin=2023-11-14T22:13:19Z&query.startTimeMax=2023-11-14T22:13:21Z";

    [Fact]
    public async Task Find_traces_returns_every_span_of_the_matching_traces_as_otlp_json()
    {
        await using var server = await TestServer.StartAsync();
        var trace = JaegerTestData.CallTrace();
        await JaegerTestData.PostAsync(server, [.. trace, .. JaegerTestData.CallTrace(JaegerTestData.Start + 1_000_000_000)]);

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/v3/traces?query.service_name=cart&query.num_traces=1&" + Window);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var spans = (await HttpTestClient.JsonAsync(response)).GetProperty("result").GetProperty("resourceSpans").EnumerateArray()
            .SelectMany(r => r.GetProperty("scopeSpans").EnumerateArray()).SelectMany(s => s.GetProperty("spans").EnumerateArray()).ToList();
        Assert.Equal(3, spans.Count);
        Assert.All(spans, s => Assert.Equal(trace[0].TraceId.ToString(), s.GetProperty("traceId").GetString()));
        // Enums are numbers in Jaeger's OTLP JSON: the failed cart span is kind 2 (server) with status code 2.
        var served = spans.Single(s => s.GetProperty("spanId").GetString() == trace[2].SpanId.ToString());
        Assert.Equal(2, served.GetProperty("kind").GetInt32());
        Assert.Equal(2, served.GetProperty("status").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Trace_by_id_answers_otlp_json_or_404_in_the_gateways_error_shape()
    {
        await using var server = await TestServer.StartAsync();
        var trace = JaegerTestData.CallTrace();
        await JaegerTestData.PostAsync(server, trace);

        using (var found = await HttpTestClient.GetAsync(server.ApiEndpoint, $"/api/v3/traces/{trace[0].TraceId}?startTime=2023-11-14T22:00:00Z&endTime=2023-11-14T23:00:00Z"))
        {
            Assert.Equal(HttpStatusCode.OK, found.StatusCode);
            Assert.Equal(2, (await HttpTestClient.JsonAsync(found)).GetProperty("result").GetProperty("resourceSpans").GetArrayLength());
        }
        // A hint window the trace lies outside finds nothing.
        using (var outside = await HttpTestClient.GetAsync(server.ApiEndpoint, $"/api/v3/traces/{trace[0].TraceId}?start_time=2024-01-01T00:00:00Z"))
            Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
        using var missing = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/v3/traces/0af7651916cd43dd8448eb211c80319c");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("""{"error":{"httpCode":404,"message":"No traces found"}}""", await missing.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Trace_summaries_filter_on_attributes_and_error_status()
    {
        await using var server = await TestServer.StartAsync();
        var trace = JaegerTestData.CallTrace();
        await JaegerTestData.PostAsync(server, trace);

        using (var errors = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/v3/trace-summaries?query.attributes=%7B%22error%22%3A%22true%22%7D&" + Window))
        {
            var summary = Assert.Single((await HttpTestClient.JsonAsync(errors)).GetProperty("summaries").EnumerateArray());
            Assert.Equal(trace[0].TraceId.ToString(), summary.GetProperty("traceId").GetString());
            Assert.Equal("frontend", summary.GetProperty("rootServiceName").GetString());
            Assert.Equal("GET /checkout", summary.GetProperty("rootOperationName").GetString());
            Assert.Equal(JaegerTestData.Start.ToString(System.Globalization.CultureInfo.InvariantCulture), summary.GetProperty("minStartTimeUnixNano").GetString());
            Assert.Equal((JaegerTestData.Start + 300_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture), summary.GetProperty("maxEndTimeUnixNano").GetString());
            Assert.Equal(3, summary.GetProperty("spanCount").GetInt32());
            Assert.Equal(1, summary.GetProperty("errorSpanCount").GetInt32());
            var services = summary.GetProperty("services").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
            Assert.Equal(1, services["cart"].GetProperty("errorSpanCount").GetInt32());
            // Zero values are left out, as protobuf JSON does.
            Assert.False(services["frontend"].TryGetProperty("errorSpanCount", out _));
        }
        using var none = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/v3/trace-summaries?query.attributes=%7B%22http.route%22%3A%22%2Fnowhere%22%7D&" + Window);
        Assert.Equal("{}", await none.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/api/v3/traces?query.serviceName=a", "query.startTimeMin", "required")]
    [InlineData("/api/v3/trace-summaries?query.startTimeMin=2024-01-02T00:00:00Z&query.startTimeMax=2024-01-01T00:00:00Z", "query.startTimeMin", "before")]
    [InlineData("/api/v3/traces?query.start_time_min=yesterday&query.startTimeMax=2024-01-01T00:00:00Z", "query.start_time_min", "RFC 3339")]
    [InlineData("/api/v3/traces?query.searchDepth=5000&" + Window, "query.searchDepth", "1500")]
    [InlineData("/api/v3/trace-summaries?query.durationMin=fast&" + Window, "query.durationMin", "duration")]
    [InlineData("/api/v3/trace-summaries?query.attributes=%5B%5D&" + Window, "query.attributes", "JSON object")]
    [InlineData("/api/v3/trace-summaries?query.filter=%7B%7D&" + Window, "query.filter", "not supported")]
    [InlineData("/api/v3/traces/xyz", "trace_id", "hex")]
    [InlineData("/api/v3/traces/abc?rawTraces=maybe", "rawTraces", "true or false")]
    [InlineData("/api/v3/operations", "service", "required")]
    [InlineData("/api/v3/operations?service=a&span_kind=sideways", "span_kind", "server")]
    public async Task Bad_parameters_are_400_in_the_gateways_error_shape(string request, string parameter, string hint)
    {
        await using var server = await TestServer.StartAsync();

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await HttpTestClient.JsonAsync(response)).GetProperty("error");
        Assert.Equal(400, error.GetProperty("httpCode").GetInt32());
        var message = error.GetProperty("message").GetString()!;
        Assert.StartsWith($"Parameter '{parameter}'", message, StringComparison.Ordinal);
        Assert.Contains(hint, message, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Object, error.ValueKind);
    }
}
