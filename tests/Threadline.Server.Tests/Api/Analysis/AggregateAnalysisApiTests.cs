using System.Globalization;
using System.Net;
using System.Text.Json;
using Threadline.Core.Model;
using Threadline.Protocol.Otlp;
using Threadline.Server.Hosting;
using Threadline.Server.Tests.Infrastructure;
using Threadline.Storage.Memory;

namespace Threadline.Server.Tests.Api.Analysis;

public sealed class AggregateAnalysisApiTests
{
    // 2023-11-14T22:13:00Z, a whole minute.
    private const ulong Minute0 = 1_699_999_980_000_000_000;
    private const ulong Minute = 60_000_000_000;
    private const string Range = "start=1699999980000000000&end=1700000580000000000";

    /// <summary>A clock the test moves by hand, to end the service-graph pairing wait.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }

    private static Span Make(string service, string name, SpanKind kind, ulong start, ulong durationMs, TraceId trace, SpanId parent = default,
        StatusCode status = StatusCode.Unset, params KeyValue[] attributes) => new()
    {
        TraceId = trace,
        SpanId = TestSpans.NewSpanId(),
        ParentSpanId = parent,
        Name = name,
        Kind = kind,
        StartTimeUnixNano = start,
        EndTimeUnixNano = start + durationMs * 1_000_000,
        Status = new SpanStatus(status, string.Empty),
        Resource = TestSpans.ServiceResource(service),
        Attributes = attributes,
    };

    private static async Task PostAsync(ThreadlineServer server, params Span[] spans)
    {
        using var response = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", OtlpProtobufEncoder.EncodeExportRequest(spans), "application/x-protobuf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<JsonElement> GetJsonAsync(ThreadlineServer server, string pathAndQuery)
    {
        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, pathAndQuery);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        return await HttpTestClient.JsonAsync(response);
    }

    /// <summary>frontend → checkout (two calls, one failed), and a query of checkout to postgresql "shop" that nobody answered.</summary>
    private static async Task<ThreadlineServer> ServerWithTrafficAsync()
    {
        var clock = new ManualClock();
        var server = await TestServer.StartAsync(store: new MemoryTraceStore(new MemoryStoreOptions { PairingWaitSeconds = 10 }, clock));
        var spans = new List<Span>();
        for (var i = 0; i < 2; i++)
        {
            var trace = TestSpans.NewTraceId();
            var client = Make("frontend", "GET /checkout", SpanKind.Client, Minute0 + (ulong)i * Minute, 40, trace);
            var serverSpan = Make("checkout", "POST /checkout", SpanKind.Server, client.StartTimeUnixNano + 1_000_000, 38, trace, client.SpanId, i == 1 ? StatusCode.Error : StatusCode.Unset);
            spans.AddRange([client, serverSpan, Make("checkout", "SELECT orders", SpanKind.Client, serverSpan.StartTimeUnixNano, 5, trace, serverSpan.SpanId,
                attributes: [new("db.system", "postgresql"), new("db.name", "shop")])]);
        }
        await PostAsync(server, [.. spans]);
        clock.Advance(TimeSpan.FromSeconds(11));
        await PostAsync(server, Make("frontend", "idle", SpanKind.Internal, Minute0, 1, TestSpans.NewTraceId()));
        return server;
    }

    [Fact]
    public async Task Service_graph_answers_nodes_and_edges_in_the_documented_shape()
    {
        await using var server = await ServerWithTrafficAsync();

        var graph = await GetJsonAsync(server, "/api/v1/service-graph?" + Range);

        Assert.Equal("1699999980000000000", graph.GetProperty("startTimeUnixNano").GetString());
        Assert.Equal("1700000580000000000", graph.GetProperty("endTimeUnixNano").GetString());
        var nodes = graph.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("id").GetString()!);
        Assert.Equal(["checkout", "db:postgresql/shop", "frontend"], nodes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("database", "postgresql/shop"), (nodes["db:postgresql/shop"].GetProperty("type").GetString(), nodes["db:postgresql/shop"].GetProperty("name").GetString()));
        Assert.Equal("service", nodes["checkout"].GetProperty("type").GetString());
        Assert.Equal(50.0, nodes["checkout"].GetProperty("errorPercent").GetDouble());
        Assert.Equal(2 / 600.0, nodes["checkout"].GetProperty("ratePerSecond").GetDouble(), 12);

        var edges = graph.GetProperty("edges").EnumerateArray().ToDictionary(e => e.GetProperty("callee").GetString()!);
        var call = edges["checkout"];
        Assert.Equal(("frontend", "call", 2, 1), (call.GetProperty("caller").GetString(), call.GetProperty("connectionType").GetString(), call.GetProperty("count").GetInt64(), call.GetProperty("errorCount").GetInt64()));
        Assert.Equal(50.0, call.GetProperty("errorPercent").GetDouble());
        Assert.InRange(call.GetProperty("p50Nanos").GetInt64(), 39_600_000, 40_400_000);
        foreach (var quantile in new[] { "p90Nanos", "p95Nanos", "p99Nanos" }) Assert.Equal(JsonValueKind.Number, call.GetProperty(quantile).ValueKind);
        Assert.Equal(("checkout", "database", 2), (edges["db:postgresql/shop"].GetProperty("caller").GetString(), edges["db:postgresql/shop"].GetProperty("connectionType").GetString(), edges["db:postgresql/shop"].GetProperty("count").GetInt64()));
    }

    [Fact]
    public async Task Service_red_answers_totals_and_a_point_per_step()
    {
        await using var server = await ServerWithTrafficAsync();

        var red = await GetJsonAsync(server, "/api/v1/services/checkout/red?" + Range + "&step=5m");

        Assert.Equal(("checkout", 300), (red.GetProperty("service").GetString(), red.GetProperty("stepSeconds").GetInt32()));
        var total = red.GetProperty("total");
        Assert.Equal((2, 1, 0.5), (total.GetProperty("count").GetInt64(), total.GetProperty("errorCount").GetInt64(), total.GetProperty("errorRatio").GetDouble()));
        var points = red.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(["1699999980000000000", "1700000280000000000"], points.Select(p => p.GetProperty("startTimeUnixNano").GetString()));
        Assert.Equal([2L, 0L], points.Select(p => p.GetProperty("count").GetInt64()));
        Assert.Equal(JsonValueKind.Null, points[1].GetProperty("p99Nanos").ValueKind);
        Assert.Equal(2 / 300.0, points[0].GetProperty("ratePerSecond").GetDouble(), 12);
    }

    [Fact]
    public async Task Operations_red_lists_each_name_and_kind_busiest_first_and_does_not_clash_with_the_catalog()
    {
        await using var server = await ServerWithTrafficAsync();

        var red = await GetJsonAsync(server, "/api/v1/services/checkout/operations/red?" + Range);
        var catalog = await GetJsonAsync(server, "/api/v1/services/checkout/operations");

        Assert.Equal(60, red.GetProperty("stepSeconds").GetInt32());
        Assert.False(red.GetProperty("truncated").GetBoolean());
        var operations = red.GetProperty("operations").EnumerateArray().ToList();
        Assert.Equal([("POST /checkout", "server", 2L), ("SELECT orders", "client", 2L)],
            operations.Select(o => (o.GetProperty("name").GetString(), o.GetProperty("kind").GetString(), o.GetProperty("total").GetProperty("count").GetInt64())));
        Assert.Equal(10, operations[0].GetProperty("points").GetArrayLength());
        Assert.Equal(2, catalog.GetProperty("operations").GetArrayLength());
    }

    [Fact]
    public async Task Naming_health_reports_a_service_whose_names_carry_ids()
    {
        await using var server = await TestServer.StartAsync();
        var trace = TestSpans.NewTraceId();
        await PostAsync(server, [.. Enumerable.Range(0, 25).Select(i => Make("catalog", "GET /products/" + i.ToString(CultureInfo.InvariantCulture), SpanKind.Server, Minute0, 1, trace))]);

        var all = await GetJsonAsync(server, "/api/v1/naming-health");
        var one = await GetJsonAsync(server, "/api/v1/naming-health?service=catalog");
        var unknown = await GetJsonAsync(server, "/api/v1/naming-health?service=nobody");

        var service = Assert.Single(all.GetProperty("services").EnumerateArray());
        Assert.Equal(("catalog", 25, true), (service.GetProperty("service").GetString(), service.GetProperty("distinctNames").GetInt64(), service.GetProperty("tracked").GetBoolean()));
        var finding = Assert.Single(service.GetProperty("findings").EnumerateArray());
        Assert.Equal(("GET /products/{id}", "id", 25), (finding.GetProperty("suggestedName").GetString(), finding.GetProperty("reason").GetString(), finding.GetProperty("distinctNames").GetInt64()));
        Assert.Equal(5, finding.GetProperty("examples").GetArrayLength());
        Assert.StartsWith("25 span names differ only by an id in the path", finding.GetProperty("message").GetString());
        Assert.Equal(all.GetRawText(), one.GetRawText());
        var nobody = Assert.Single(unknown.GetProperty("services").EnumerateArray());
        Assert.Equal((0, false), (nobody.GetProperty("distinctNames").GetInt64(), nobody.GetProperty("tracked").GetBoolean()));
    }

    [Theory]
    [InlineData("/api/v1/service-graph?start=yesterday", "start")]
    [InlineData("/api/v1/service-graph?start=1700000580000000000&end=1699999980000000000", "start")]
    [InlineData("/api/v1/services/checkout/red?step=30s", "step")]
    [InlineData("/api/v1/services/checkout/red?step=5parsecs", "step")]
    [InlineData("/api/v1/services/checkout/red?end=2023-13-01T00:00:00Z", "end")]
    [InlineData("/api/v1/services/checkout/operations/red?start=0&step=1m", "step")]
    [InlineData("/api/v1/services/checkout/operations/red?limit=0", "limit")]
    [InlineData("/api/v1/naming-health?service=a&service=b", "service")]
    public async Task A_bad_parameter_is_a_400_naming_it(string pathAndQuery, string parameter)
    {
        await using var server = await TestServer.StartAsync();

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, pathAndQuery);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await HttpTestClient.JsonAsync(response);
        Assert.Equal(parameter, error.GetProperty("parameter").GetString());
        Assert.Contains($"'{parameter}'", error.GetProperty("error").GetString());
    }

    [Theory]
    // ASP.NET Core leaves an encoded slash encoded in a route value (as for /operations), so it is not a path.
    [InlineData("..%2F..%2Fetc", "..%2F..%2Fetc")]
    [InlineData("%F0%9F%99%82%20shop", "🙂 shop")]
    [InlineData("%3Cscript%3E", "<script>")]
    [InlineData("a%22b%5C", "a\"b\\")]
    public async Task A_hostile_service_name_is_answered_as_data(string encoded, string service)
    {
        await using var server = await TestServer.StartAsync();

        var red = await GetJsonAsync(server, $"/api/v1/services/{encoded}/red");
        var operations = await GetJsonAsync(server, $"/api/v1/services/{encoded}/operations/red");

        Assert.Equal(service, red.GetProperty("service").GetString());
        Assert.Equal(0, red.GetProperty("total").GetProperty("count").GetInt64());
        Assert.Equal(service, operations.GetProperty("service").GetString());
        Assert.Empty(operations.GetProperty("operations").EnumerateArray());
    }

    [Fact]
    public async Task A_service_name_longer_than_any_stored_is_refused()
    {
        await using var server = await TestServer.StartAsync();

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, $"/api/v1/naming-health?service={new string('s', 2_000)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("2000 characters long", (await HttpTestClient.JsonAsync(response)).GetProperty("error").GetString());
    }
}
