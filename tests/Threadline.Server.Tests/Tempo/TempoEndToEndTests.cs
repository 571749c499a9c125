using System.Net;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Threadline.Core.Model;
using Threadline.Server.Hosting;
using Threadline.Server.Tests.Infrastructure;
using Threadline.Storage;
using Wire = Threadline.Server.Tests.Tempo.Wire;

namespace Threadline.Server.Tests.Tempo;

/// <summary>The Tempo API over the real TraceQL engine and store: what Grafana gets for real queries and hostile ones.</summary>
public sealed class TempoEndToEndTests
{
    private static readonly TraceId CartTrace = new(0, 0x0000e5dc9a1b2c3d);

    [Fact]
    public async Task A_traceql_search_finds_the_trace_with_its_matching_span()
    {
        await using var server = await StartWithTraceAsync();

        using var response = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/search?q=" + Uri.EscapeDataString("{ resource.service.name = \"cart\" && status = error }"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = new JsonParser(JsonParser.Settings.Default).Parse<Wire.SearchResponse>(await response.Content.ReadAsStringAsync());
        var trace = Assert.Single(result.Traces);
        Assert.Equal(("e5dc9a1b2c3d", "checkout", "GET /cart", 150u), (trace.TraceID, trace.RootServiceName, trace.RootTraceName, trace.DurationMs));
        var span = Assert.Single(trace.SpanSets.Single().Spans);
        Assert.Equal(("0000000000000002", "SELECT cart"), (span.SpanID, span.Name));
    }

    [Fact]
    public async Task A_tag_search_matches_a_value_with_quotes_and_braces_literally_and_nothing_else()
    {
        await using var server = await StartWithTraceAsync();
        const string Hostile = "a\" } || { true";

        using var literal = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/search?tags=" + Uri.EscapeDataString("note=\"" + Hostile.Replace("\"", "\\\"", StringComparison.Ordinal) + "\""));
        using var injection = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/search?tags=" + Uri.EscapeDataString("note=\"x\\\" } || { true\""));

        Assert.Equal(HttpStatusCode.OK, literal.StatusCode);
        Assert.Equal("e5dc9a1b2c3d", Wire.SearchResponse.Parser.ParseJson(await literal.Content.ReadAsStringAsync()).Traces.Single().TraceID);
        Assert.Equal(HttpStatusCode.OK, injection.StatusCode);
        Assert.Empty(Wire.SearchResponse.Parser.ParseJson(await injection.Content.ReadAsStringAsync()).Traces);
    }

    [Fact]
    public async Task Tag_values_filtered_by_a_query_come_from_the_spans_it_matches()
    {
        await using var server = await StartWithTraceAsync();

        using var filtered = await HttpTestClient.GetAsync(server.TempoEndpoint,
            "/api/v2/search/tag/resource.service.name/values?q=" + Uri.EscapeDataString("{ status = error }"));
        using var all = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/v2/search/tag/resource.service.name/values?q=%7B%7D");

        Assert.Equal("""{"tagValues":[{"type":"string","value":"cart"}],"metrics":{}}""", await filtered.Content.ReadAsStringAsync());
        Assert.Equal("""{"tagValues":[{"type":"string","value":"cart"},{"type":"string","value":"checkout"}],"metrics":{}}""", await all.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_real_syntax_error_names_its_line_and_column()
    {
        await using var server = await StartWithTraceAsync();

        using var response = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/search?q=" + Uri.EscapeDataString("{ span.a = }"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Matches(@"^invalid TraceQL query: line 1, column 12: expected .+, found .+$", (await response.Content.ReadAsStringAsync()).TrimEnd('\n'));
    }

    [Fact]
    public async Task A_metrics_query_counts_spans_per_service_in_a_strictly_parsed_answer()
    {
        await using var server = await StartWithTraceAsync();
        var end = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        using var response = await HttpTestClient.GetAsync(server.TempoEndpoint,
            "/api/metrics/query_range?q=" + Uri.EscapeDataString("{ } | count_over_time() by (resource.service.name)") + $"&start={end - 3600}&end={end}&step=3600");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = new JsonParser(JsonParser.Settings.Default).Parse<Wire.QueryRangeResponse>(await response.Content.ReadAsStringAsync());
        var counts = result.Series.ToDictionary(series => series.Labels.Single().Value.StringValue, series => series.Samples.Sum(sample => sample.Value));
        Assert.Equal(new Dictionary<string, double> { ["cart"] = 1, ["checkout"] = 1 }, counts);
        Assert.All(result.Series, series => Assert.StartsWith("{resource.service.name=", series.PromLabels, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(HostileQueries))]
    public async Task Hostile_queries_are_refused_or_answered_never_a_server_error(string query)
    {
        await using var server = await StartWithTraceAsync();

        using var tempo = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/search?q=" + Uri.EscapeDataString(query));
        using var native = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/v1/traceql?q=" + Uri.EscapeDataString(query));
        using var metrics = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/metrics/query_range?q=" + Uri.EscapeDataString(query));

        Assert.Contains(tempo.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.BadRequest });
        Assert.Contains(native.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.BadRequest });
        Assert.Contains(metrics.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.BadRequest });
    }

    // Each stays under Kestrel's 8 KiB request line, so it reaches the engine rather than being a 414.
    public static TheoryData<string> HostileQueries() =>
    [
        new string('{', 2_000),
        "{ " + string.Join(" && ", Enumerable.Repeat("(", 300)) + " }",
        "{ .a = \"" + new string('x', 2_000) + "\" }",
        "{ name =~ \"(a+)+$\" }",
        "{ .a = \"\\uD800\" }",
        "{ } | rate() by (" + string.Join(", ", Enumerable.Range(0, 250).Select(i => $"span.k{i}")) + ")",
        "\0\u202e{ }",
        "{ } >> { } >> { } >> { } >> { } >> { } >> { } >> { }",
    ];

    private static async Task<ThreadlineServer> StartWithTraceAsync()
    {
        var server = await TempoTestServer.StartAsync();
        var start = (ulong)(DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch - TimeSpan.FromMinutes(10)).Ticks * 100;
        var checkout = new Resource([new KeyValue("service.name", "checkout")]);
        var cart = new Resource([new KeyValue("service.name", "cart")]);
        Span[] spans =
        [
            new()
            {
                TraceId = CartTrace, SpanId = new SpanId(1), Name = "GET /cart", Kind = SpanKind.Server,
                StartTimeUnixNano = start, EndTimeUnixNano = start + 150_000_000, Resource = checkout,
                Attributes = [new KeyValue("note", "a\" } || { true")],
            },
            new()
            {
                TraceId = CartTrace, SpanId = new SpanId(2), ParentSpanId = new SpanId(1), Name = "SELECT cart", Kind = SpanKind.Client,
                StartTimeUnixNano = start + 10_000_000, EndTimeUnixNano = start + 40_000_000, Resource = cart,
                Status = new SpanStatus(StatusCode.Error, "timeout"),
            },
        ];
        await server.Services.GetRequiredService<ITraceStore>().AppendAsync(spans, TestContext.Timeout);
        return server;
    }
}
