using System.Net;
using System.Text.Json;
using Threadline.Core.Model;
using Threadline.Protocol.Otlp;
using Threadline.Server.Tests.Infrastructure;

namespace Threadline.Server.Tests.Api;

/// <summary>The per-trace analyses (docs/api.md, "Trace analyses") through a real server fed over OTLP/HTTP.</summary>
public sealed class TraceAnalysisApiTests
{
    private const ulong Start = 1_700_000_000_000_000_000;

    [Fact]
    public async Task Critical_path_lists_the_segments_and_each_span_on_it()
    {
        await using var server = await TestServer.StartAsync();
        var spans = TestSpans.Trace(startUnixNano: Start); // root 0–150 ms, child 10–40 ms
        await PostAsync(server, spans);

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, $"/api/v1/traces/{spans[0].TraceId}/critical-path");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var json = await HttpTestClient.JsonAsync(response);
        Assert.Equal(spans[0].TraceId.ToString(), json.GetProperty("traceId").GetString());
        Assert.Equal(150_000_000, json.GetProperty("durationNanos").GetInt64());
        var segments = json.GetProperty("segments").EnumerateArray().ToArray();
        Assert.Equal(
            [(spans[0].SpanId.ToString(), Start, Start + 10_000_000), (spans[1].SpanId.ToString(), Start + 10_000_000, Start + 40_000_000), (spans[0].SpanId.ToString(), Start + 40_000_000, Start + 150_000_000)],
            segments.Select(s => (s.GetProperty("spanId").GetString(), ulong.Parse(s.GetProperty("startTimeUnixNano").GetString()!), ulong.Parse(s.GetProperty("endTimeUnixNano").GetString()!))));
        Assert.Equal(("checkout", "SELECT carts", 30_000_000L), (segments[1].GetProperty("service").GetString(), segments[1].GetProperty("name").GetString(), segments[1].GetProperty("durationNanos").GetInt64()));
        Assert.Equal(
            [(spans[0].SpanId.ToString(), 120_000_000L), (spans[1].SpanId.ToString(), 30_000_000L)],
            json.GetProperty("spans").EnumerateArray().Select(s => (s.GetProperty("spanId").GetString(), s.GetProperty("criticalNanos").GetInt64())));
    }

    [Fact]
    public async Task Health_names_the_broken_propagation_and_lists_the_clock_corrections()
    {
        await using var server = await TestServer.StartAsync();
        var traceId = TestSpans.NewTraceId();
        var web = new Resource([new KeyValue("service.name", "checkout"), new KeyValue("host.name", "web-1")]);
        var pay = new Resource([new KeyValue("service.name", "payments"), new KeyValue("host.name", "pay-1")]);
        var root = Span(traceId, SpanId.Empty, "POST /checkout", SpanKind.Server, 0, 100, web);
        var call = Span(traceId, root.SpanId, "POST /pay", SpanKind.Client, 10, 50, web);
        var served = Span(traceId, call.SpanId, "POST /pay", SpanKind.Server, 60, 80, pay); // pay-1 runs 30 ms ahead
        var stockCall = Span(traceId, root.SpanId, "GET /stock", SpanKind.Client, 15, 35, web); // its server side names a span never exported
        var orphan = Span(traceId, new SpanId(0xdead), "GET /stock", SpanKind.Server, 20, 30, new Resource([new KeyValue("service.name", "inventory")]));
        await PostAsync(server, [root, call, served, stockCall, orphan]);

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, $"/api/v1/traces/{traceId}/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await HttpTestClient.JsonAsync(response);
        Assert.Equal(5, json.GetProperty("spanCount").GetInt32());
        Assert.Equal([root.SpanId.ToString()], json.GetProperty("rootSpanIds").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(3, json.GetProperty("depth").GetInt32());
        var findings = json.GetProperty("findings").EnumerateArray().ToArray();
        Assert.Equal(["missingParent", "clockSkew"], findings.Select(f => f.GetProperty("kind").GetString()));
        var split = findings[0];
        Assert.Equal("error", split.GetProperty("severity").GetString());
        Assert.Equal([orphan.SpanId.ToString()], split.GetProperty("spanIds").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["checkout", "inventory"], split.GetProperty("services").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("000000000000dead", split.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(split.GetProperty("title").GetString()));
        var adjustment = Assert.Single(json.GetProperty("skewAdjustments").EnumerateArray());
        Assert.Equal((served.SpanId.ToString(), "payments", "pay-1", -30_000_000L),
            (adjustment.GetProperty("spanId").GetString(), adjustment.GetProperty("service").GetString(), adjustment.GetProperty("host").GetString(), adjustment.GetProperty("shiftNanos").GetInt64()));
        Assert.StartsWith("Shifted 30 ms earlier", adjustment.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_lists_operations_by_path_with_their_change()
    {
        await using var server = await TestServer.StartAsync();
        var left = TestSpans.Trace(startUnixNano: Start);
        var right = TestSpans.Trace(startUnixNano: Start + 1_000_000_000);
        var extra = Span(right[0].TraceId, right[0].SpanId, "GET stock", SpanKind.Client, 50, 60, right[0].Resource, Start + 1_000_000_000);
        await PostAsync(server, [.. left, .. right, extra]);

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, $"/api/v1/traces/{left[0].TraceId}/compare/{right[0].TraceId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await HttpTestClient.JsonAsync(response);
        Assert.Equal(left[0].TraceId.ToString(), json.GetProperty("left").GetProperty("traceId").GetString());
        Assert.Equal(("checkout", "GET /cart", 3), (json.GetProperty("right").GetProperty("rootService").GetString(), json.GetProperty("right").GetProperty("rootName").GetString(), json.GetProperty("right").GetProperty("spanCount").GetInt32()));
        Assert.False(json.GetProperty("right").TryGetProperty("sampleCount", out _));
        var operations = json.GetProperty("operations").EnumerateArray().ToArray();
        Assert.Equal(["same", "same", "added"], operations.Select(o => o.GetProperty("change").GetString()));
        Assert.Equal(["checkout: GET /cart", "checkout: GET stock"], operations[2].GetProperty("path").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal((0, 1, 0L, 10_000_000L),
            (operations[2].GetProperty("leftCount").GetInt32(), operations[2].GetProperty("rightCount").GetInt32(),
             operations[2].GetProperty("leftDurationNanos").GetInt64(), operations[2].GetProperty("rightDurationNanos").GetInt64()));
        Assert.False(json.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task Compare_with_typical_uses_recent_traces_of_the_same_root_operation_in_the_range()
    {
        await using var server = await TestServer.StartAsync();
        var trace = TestSpans.Trace(startUnixNano: Start);
        var samples = Enumerable.Range(1, 3).Select(i => TestSpans.Trace(startUnixNano: Start + ((ulong)i * 1_000_000_000))).ToArray();
        var otherOperation = TestSpans.Trace(rootName: "GET /other", startUnixNano: Start + 5_000_000_000);
        var outOfRange = TestSpans.Trace(startUnixNano: Start + 3_600_000_000_000);
        await PostAsync(server, [.. trace, .. samples.SelectMany(s => s), .. otherOperation, .. outOfRange]);

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint,
            $"/api/v1/traces/{trace[0].TraceId}/compare/typical?start={Start}&end={Start + 60_000_000_000}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await HttpTestClient.JsonAsync(response);
        var right = json.GetProperty("right");
        Assert.Equal(JsonValueKind.Null, right.GetProperty("traceId").ValueKind);
        Assert.Equal(3, right.GetProperty("sampleCount").GetInt32());
        Assert.Equal(("checkout", "GET /cart", 2), (right.GetProperty("rootService").GetString(), right.GetProperty("rootName").GetString(), right.GetProperty("spanCount").GetInt32()));
        Assert.All(json.GetProperty("operations").EnumerateArray(), o => Assert.Equal("same", o.GetProperty("change").GetString()));
    }

    [Theory]
    [InlineData("critical-path")]
    [InlineData("health")]
    [InlineData("compare/typical")]
    public async Task An_unknown_trace_is_404(string analysis)
    {
        await using var server = await TestServer.StartAsync();
        var traceId = TestSpans.NewTraceId();

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, $"/api/v1/traces/{traceId}/{analysis}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal($"Trace {traceId} was not found.", (await HttpTestClient.JsonAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Comparing_with_an_unknown_trace_is_404_naming_that_trace()
    {
        await using var server = await TestServer.StartAsync();
        var spans = TestSpans.Trace(startUnixNano: Start);
        await PostAsync(server, spans);
        var missing = TestSpans.NewTraceId();

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, $"/api/v1/traces/{spans[0].TraceId}/compare/{missing}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal($"Trace {missing} was not found.", (await HttpTestClient.JsonAsync(response)).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("/api/v1/traces/xyz/critical-path", "traceId", "32 hex digits")]
    [InlineData("/api/v1/traces/00000000000000000000000000000000/health", "traceId", "not all zero")]
    [InlineData("/api/v1/traces/xyz/compare/typical", "traceId", "32 hex digits")]
    [InlineData("/api/v1/traces/0af7651916cd43dd8448eb211c80319c/compare/usual", "otherTraceId", "or the word typical")]
    [InlineData("/api/v1/traces/0af7651916cd43dd8448eb211c80319c/compare/typical?start=yesterday", "start", "RFC 3339")]
    [InlineData("/api/v1/traces/0af7651916cd43dd8448eb211c80319c/compare/typical?end=1&end=2", "end", "once")]
    [InlineData("/api/v1/traces/0af7651916cd43dd8448eb211c80319c/compare/typical?start=2000&end=1000", "start", "after end")]
    public async Task A_bad_parameter_is_400_naming_it(string pathAndQuery, string parameter, string explanation)
    {
        await using var server = await TestServer.StartAsync();

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, pathAndQuery);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await HttpTestClient.JsonAsync(response);
        Assert.Equal(parameter, error.GetProperty("parameter").GetString());
        Assert.Contains(explanation, error.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private static Span Span(TraceId traceId, SpanId parent, string name, SpanKind kind, int startMs, int endMs, Resource resource, ulong origin = Start) => new()
    {
        TraceId = traceId,
        SpanId = TestSpans.NewSpanId(),
        ParentSpanId = parent,
        Name = name,
        Kind = kind,
        StartTimeUnixNano = origin + ((ulong)startMs * 1_000_000),
        EndTimeUnixNano = origin + ((ulong)endMs * 1_000_000),
        Resource = resource,
    };

    private static async Task PostAsync(Threadline.Server.Hosting.ThreadlineServer server, Span[] spans)
    {
        using var post = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", OtlpJsonEncoder.EncodeExportRequest(spans), "application/json");
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
    }
}
