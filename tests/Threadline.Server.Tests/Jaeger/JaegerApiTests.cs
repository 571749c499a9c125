using System.Net;
using System.Text.Json;
using Threadline.Core.Model;
using Threadline.Protocol.Jaeger;
using Threadline.Server.Tests.Infrastructure;

namespace Threadline.Server.Tests.Jaeger;

/// <summary>Jaeger's v1 API as the Jaeger UI uses it: the trace model, search, catalogs, dependencies, errors.</summary>
public sealed class JaegerApiTests
{
    // Around JaegerTestData.Start, in Unix microseconds as the UI sends them.
    private const string Window = "start=1699999999000000&end=1700000001000000";

    [Fact]
    public async Task Search_returns_whole_traces_in_the_Jaeger_UI_model()
    {
        await using var server = await TestServer.StartAsync();
        var trace = JaegerTestData.CallTrace();
        await JaegerTestData.PostAsync(server, trace);

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/traces?service=cart&" + Window);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await HttpTestClient.JsonAsync(response);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("errors").ValueKind);
        var jaegerTrace = Assert.Single(body.GetProperty("data").EnumerateArray());
        Assert.Equal(trace[0].TraceId.ToString(), jaegerTrace.GetProperty("traceID").GetString());
        var spans = jaegerTrace.GetProperty("spans").EnumerateArray().ToDictionary(s => s.GetProperty("spanID").GetString()!);
        Assert.Equal(3, spans.Count);

        var processes = jaegerTrace.GetProperty("processes");
        var served = spans[trace[2].SpanId.ToString()];
        var cartProcess = processes.GetProperty(served.GetProperty("processID").GetString()!);
        Assert.Equal("cart", cartProcess.GetProperty("serviceName").GetString());
        Assert.Equal(0, cartProcess.GetProperty("tags").GetArrayLength());
        var frontendProcess = processes.GetProperty(spans[trace[0].SpanId.ToString()].GetProperty("processID").GetString()!);
        Assert.Equal("frontend", frontendProcess.GetProperty("serviceName").GetString());
        Assert.Equal("host.name", Assert.Single(frontendProcess.GetProperty("tags").EnumerateArray()).GetProperty("key").GetString());
        Assert.Equal(2, processes.EnumerateObject().Count());

        Assert.Equal((long)(JaegerTestData.Start / 1000) + 20_000, served.GetProperty("startTime").GetInt64());
        Assert.Equal(170_000, served.GetProperty("duration").GetInt64());
        var references = served.GetProperty("references").EnumerateArray().ToList();
        Assert.Equal(2, references.Count);
        Assert.Equal("CHILD_OF", references[0].GetProperty("refType").GetString());
        Assert.Equal(trace[1].SpanId.ToString(), references[0].GetProperty("spanID").GetString());
        Assert.Equal("FOLLOWS_FROM", references[1].GetProperty("refType").GetString());
        Assert.Equal("0000000000000042", references[1].GetProperty("spanID").GetString());
        Assert.Equal(0, spans[trace[0].SpanId.ToString()].GetProperty("references").GetArrayLength());

        var tags = served.GetProperty("tags").EnumerateArray().Select(t => (Key: t.GetProperty("key").GetString(), Type: t.GetProperty("type").GetString(), Value: t.GetProperty("value").ToString())).ToList();
        Assert.Equal(
            [("otel.scope.name", "string", "shop"), ("otel.scope.version", "string", "2.1"), ("span.kind", "string", "server"), ("otel.status_code", "string", "ERROR"),
             ("error", "bool", "True"), ("otel.status_description", "string", "out of stock"), ("w3c.tracestate", "string", "vendor=1")],
            tags);
        var log = Assert.Single(served.GetProperty("logs").EnumerateArray());
        Assert.Equal((long)(JaegerTestData.Start / 1000) + 50_000, log.GetProperty("timestamp").GetInt64());
        Assert.Equal(["event=exception", "exception.type=OutOfStock"], log.GetProperty("fields").EnumerateArray().Select(f => $"{f.GetProperty("key").GetString()}={f.GetProperty("value").GetString()}"));
    }

    [Theory]
    [InlineData("service=cart", true)]
    [InlineData("service=frontend&operation=GET%20/checkout", true)]
    [InlineData("service=frontend&operation=GET%20/nothing", false)]
    [InlineData("tags=%7B%22error%22%3A%22true%22%7D", true)]
    [InlineData("service=frontend&tags=%7B%22error%22%3A%22true%22%7D", false)]
    [InlineData("tags=%7B%22span.kind%22%3A%22client%22%7D&service=frontend", true)]
    [InlineData("tags=%7B%22span.kind%22%3A%22client%22%7D&service=cart", false)]
    [InlineData("tag=http.route:/checkout", true)]
    [InlineData("tag=http.route:/cart", false)]
    [InlineData("minDuration=250ms", true)]
    [InlineData("minDuration=1s", false)]
    [InlineData("maxDuration=100ms", false)]
    public async Task Search_filters_select_matching_traces(string filters, bool matches)
    {
        await using var server = await TestServer.StartAsync();
        await JaegerTestData.PostAsync(server, JaegerTestData.CallTrace());

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, $"/api/traces?{filters}&{Window}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(matches ? 1 : 0, (await HttpTestClient.JsonAsync(response)).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Search_honours_the_time_window_and_the_limit_newest_first()
    {
        await using var server = await TestServer.StartAsync();
        var older = JaegerTestData.CallTrace(JaegerTestData.Start);
        var newer = JaegerTestData.CallTrace(JaegerTestData.Start + 500_000_000);
        await JaegerTestData.PostAsync(server, [.. older, .. newer]);

        using (var limited = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/traces?service=frontend&limit=1&" + Window))
        {
            var trace = Assert.Single((await HttpTestClient.JsonAsync(limited)).GetProperty("data").EnumerateArray());
            Assert.Equal(newer[0].TraceId.ToString(), trace.GetProperty("traceID").GetString());
        }
        // Without start the window is the lookback before end (here: one minute, both traces are older).
        using var outside = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/traces?service=frontend&end=1700000600000000&lookback=1m");
        Assert.Equal(0, (await HttpTestClient.JsonAsync(outside)).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Trace_ids_return_those_traces_and_name_the_missing_ones_in_errors()
    {
        await using var server = await TestServer.StartAsync();
        var trace = JaegerTestData.CallTrace();
        await JaegerTestData.PostAsync(server, trace);

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, $"/api/traces?traceID={trace[0].TraceId}&traceID=abc123");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await HttpTestClient.JsonAsync(response);
        Assert.Equal(trace[0].TraceId.ToString(), Assert.Single(body.GetProperty("data").EnumerateArray()).GetProperty("traceID").GetString());
        var error = Assert.Single(body.GetProperty("errors").EnumerateArray());
        Assert.Equal("trace not found", error.GetProperty("msg").GetString());
        Assert.Equal("0000000000abc123", error.GetProperty("traceID").GetString());
        Assert.False(error.TryGetProperty("code", out _));
    }

    [Fact]
    public async Task Unknown_trace_is_404_in_Jaegers_envelope()
    {
        await using var server = await TestServer.StartAsync();

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/traces/0af7651916cd43dd8448eb211c80319c");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("""{"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":404,"msg":"trace not found"}]}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/api/traces?limit=5000", "limit", "1500")]
    [InlineData("/api/traces?minDuration=5", "minDuration", "unit")]
    [InlineData("/api/traces?minDuration=2s&maxDuration=1s", "maxDuration", "minimum")]
    [InlineData("/api/traces?start=yesterday", "start", "Unix microseconds")]
    [InlineData("/api/traces?start=2000&end=1000", "start", "after end")]
    [InlineData("/api/traces?tags=%7Bbroken", "tags", "JSON")]
    [InlineData("/api/traces?tags=%7B%22a%22%3A%5B1%5D%7D", "tags", "strings")]
    [InlineData("/api/traces?tags=%7B%22span.kind%22%3A%22sideways%22%7D", "tags", "span.kind")]
    [InlineData("/api/traces?tag=nocolon", "tag", "key:value")]
    [InlineData("/api/traces?traceID=xyz", "traceID", "hex")]
    [InlineData("/api/traces?lookback=forever", "lookback", "2d")]
    [InlineData("/api/traces?service=a&service=b", "service", "once")]
    [InlineData("/api/traces/not-an-id", "traceID", "hex")]
    [InlineData("/api/operations", "service", "required")]
    [InlineData("/api/operations?service=a&spanKind=sideways", "spanKind", "server")]
    [InlineData("/api/dependencies?lookback=0", "lookback", "milliseconds")]
    [InlineData("/api/dependencies?endTs=soon", "endTs", "Unix milliseconds")]
    public async Task Bad_parameters_are_400_naming_the_parameter(string request, string parameter, string hint)
    {
        await using var server = await TestServer.StartAsync();

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await HttpTestClient.JsonAsync(response);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("data").ValueKind);
        var error = Assert.Single(body.GetProperty("errors").EnumerateArray());
        Assert.Equal(400, error.GetProperty("code").GetInt32());
        var message = error.GetProperty("msg").GetString()!;
        Assert.StartsWith($"Parameter '{parameter}'", message, StringComparison.Ordinal);
        Assert.Contains(hint, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Services_and_operations_list_what_was_stored()
    {
        await using var server = await TestServer.StartAsync();
        await JaegerTestData.PostAsync(server, JaegerTestData.CallTrace());

        using (var services = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/services"))
            Assert.Equal("""{"data":["cart","frontend"],"total":2,"limit":0,"offset":0,"errors":null}""", await services.Content.ReadAsStringAsync());
        using (var legacy = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/services/frontend/operations"))
            Assert.Equal("""{"data":["GET /checkout","POST /cart"],"total":2,"limit":0,"offset":0,"errors":null}""", await legacy.Content.ReadAsStringAsync());
        using (var all = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/operations?service=frontend"))
            Assert.Equal("""{"data":[{"name":"GET /checkout","spanKind":"server"},{"name":"POST /cart","spanKind":"client"}],"total":2,"limit":0,"offset":0,"errors":null}""", await all.Content.ReadAsStringAsync());
        using (var servers = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/operations?service=frontend&spanKind=server"))
            Assert.Equal("""{"data":[{"name":"GET /checkout","spanKind":"server"}],"total":1,"limit":0,"offset":0,"errors":null}""", await servers.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Dependencies_count_calls_between_services_in_the_window()
    {
        await using var server = await TestServer.StartAsync();
        await JaegerTestData.PostAsync(server, [.. JaegerTestData.CallTrace(), .. JaegerTestData.CallTrace()]);
        var endTs = (JaegerTestData.Start / 1_000_000) + 120_000;

        using (var inWindow = await HttpTestClient.GetAsync(server.ApiEndpoint, $"/api/dependencies?endTs={endTs}&lookback=3600000"))
            Assert.Equal("""{"data":[{"parent":"frontend","child":"cart","callCount":2}],"total":0,"limit":0,"offset":0,"errors":null}""", await inWindow.Content.ReadAsStringAsync());
        using (var before = await HttpTestClient.GetAsync(server.ApiEndpoint, $"/api/dependencies?endTs={endTs - 3_600_000}&lookback=3600000"))
            Assert.Equal(0, (await HttpTestClient.JsonAsync(before)).GetProperty("data").GetArrayLength());
        using (var otherService = await HttpTestClient.GetAsync(server.ApiEndpoint, $"/api/dependencies?endTs={endTs}&lookback=3600000&service=payments"))
            Assert.Equal(0, (await HttpTestClient.JsonAsync(otherService)).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Jaegers_trace_route_shares_its_path_with_Tempos_each_on_its_own_port()
    {
        await using var server = await TestServer.StartAsync();
        var trace = JaegerTestData.CallTrace();
        await JaegerTestData.PostAsync(server, trace);

        using var jaeger = await HttpTestClient.GetAsync(server.ApiEndpoint, $"/api/traces/{trace[0].TraceId}");
        using var tempo = await HttpTestClient.GetAsync(server.TempoEndpoint, $"/api/traces/{trace[0].TraceId}");

        Assert.Equal(HttpStatusCode.OK, jaeger.StatusCode);
        Assert.Equal(3, (await HttpTestClient.JsonAsync(jaeger)).GetProperty("data")[0].GetProperty("spans").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, tempo.StatusCode);
        Assert.False((await HttpTestClient.JsonAsync(tempo)).TryGetProperty("data", out _));
    }

    [Theory]
    [InlineData("1", 0UL, 1UL)]
    [InlineData("abc123", 0UL, 0xabc123UL)]
    [InlineData("0AF7651916CD43DD8448EB211C80319C", 0x0af7651916cd43ddUL, 0x8448eb211c80319cUL)]
    [InlineData("CvdlGRbNQ92ESOshHIAxnA==", 0x0af7651916cd43ddUL, 0x8448eb211c80319cUL)]
    [InlineData("CvdlGRbNQ92ESOshHIAxnA", 0x0af7651916cd43ddUL, 0x8448eb211c80319cUL)]
    public void Trace_ids_are_read_in_every_form_Jaeger_accepts(string text, ulong high, ulong low)
    {
        Assert.True(JaegerIds.TryParseTraceId(text, out var traceId));
        Assert.Equal(new TraceId(high, low), traceId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("00000000000000000000000000000000")]
    [InlineData("0af7651916cd43dd8448eb211c80319c0")]
    [InlineData("not hex!")]
    public void Malformed_or_zero_trace_ids_are_refused(string text) => Assert.False(JaegerIds.TryParseTraceId(text, out _));

    [Fact]
    public void A_64_bit_trace_id_is_written_in_16_digits_as_Jaeger_does()
    {
        Assert.Equal("0000000000abc123", JaegerIds.Format(new TraceId(0, 0xabc123)));
        Assert.Equal("000000000000000100000000000000ff", JaegerIds.Format(new TraceId(1, 0xff)));
    }
}
