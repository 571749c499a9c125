using System.Buffers;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Threadline.Core.Model;
using Threadline.Protocol;
using Threadline.Protocol.Jaeger;
using Threadline.Protocol.Otlp;
using Threadline.Server.Api.Jaeger;
using Threadline.Server.Hosting;
using Threadline.Server.Tests.Infrastructure;

namespace Threadline.Server.Tests.Jaeger;

/// <summary>
/// The Jaeger-compatible API against Jaeger's own golden files (Fixtures/README.md): the same
/// input gives, field for field, what Jaeger itself answers.
/// </summary>
public sealed class JaegerGoldenTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Jaeger", "Fixtures");

    [Fact]
    public void Trace_json_matches_what_Jaeger_answers_for_the_same_otlp_spans()
    {
        var spans = DecodeFixture("otlp2jaeger-in.json");

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("data");
            JaegerTraceWriter.WriteTrace(writer, spans);
            writer.WriteEndArray();
            JaegerResponses.WriteTail(writer, 0, errors: null);
            writer.WriteEndObject();
        }

        AssertSameJson(Fixture("otlp2jaeger-out.json"), System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public async Task Trace_by_id_serves_the_stored_trace_as_Jaeger_does()
    {
        await using var server = await TestServer.StartAsync();
        using (var posted = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", File.ReadAllBytes(Path.Combine(Fixtures, "otlp2jaeger-in.json")), "application/json"))
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/traces/83a9efd15c1c98a977e0711cc93ee28b");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        var expected = JsonNode.Parse(Fixture("otlp2jaeger-out.json"))!;
        var actual = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        // The fixture sends one span twice; a store may keep one copy or both, each the same.
        var expectedSpans = expected["data"]![0]!["spans"]!.AsArray();
        var actualSpans = actual["data"]![0]!["spans"]!.AsArray();
        Assert.InRange(actualSpans.Count, 1, expectedSpans.Count);
        foreach (var span in actualSpans) Assert.True(JsonNode.DeepEquals(expectedSpans[0], span), $"Span differs: {span!.ToJsonString()}");
        expected["data"]![0]!["spans"] = null;
        actual["data"]![0]!["spans"] = null;
        Assert.True(JsonNode.DeepEquals(expected, actual), $"Expected {expected.ToJsonString()}, got {actual.ToJsonString()}");
    }

    [Fact]
    public async Task V3_trace_summaries_services_and_operations_match_Jaegers_snapshots()
    {
        await using var server = await TestServer.StartAsync();
        // The trace behind Jaeger's snapshot: trace 1, a frontend root "HTTP GET /" and one
        // failed child, from 1000 s to 1001 s after the epoch.
        var traceId = new TraceId(0, 1);
        var frontend = new Resource([new KeyValue("service.name", "frontend")]);
        var root = new Span { TraceId = traceId, SpanId = new SpanId(1), Name = "HTTP GET /", Kind = SpanKind.Server, StartTimeUnixNano = 1_000_000_000_000, EndTimeUnixNano = 1_000_500_000_000, Resource = frontend };
        var child = new Span { TraceId = traceId, SpanId = new SpanId(2), ParentSpanId = new SpanId(1), Name = "query", Kind = SpanKind.Client, StartTimeUnixNano = 1_000_100_000_000, EndTimeUnixNano = 1_001_000_000_000, Status = new SpanStatus(StatusCode.Error, "boom"), Resource = frontend };
        var foo = new Span { TraceId = new TraceId(7, 7), SpanId = new SpanId(3), Name = "get_users", Kind = SpanKind.Server, StartTimeUnixNano = 5_000_000_000_000, EndTimeUnixNano = 5_000_000_001_000, Resource = new Resource([new KeyValue("service.name", "foo")]) };
        await JaegerTestData.PostAsync(server, [foo]);
        using (var services = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/v3/services"))
            AssertSameJson(Fixture("GetServices.json"), await services.Content.ReadAsStringAsync());
        await JaegerTestData.PostAsync(server, [root, child]);

        using (var summaries = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/v3/trace-summaries?query.serviceName=frontend&query.startTimeMin=1970-01-01T00:00:00Z&query.startTimeMax=1970-01-01T01:00:00Z"))
            AssertSameJson(Fixture("FindTraceSummaries.json"), await summaries.Content.ReadAsStringAsync());
        using (var operations = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/v3/operations?service=foo"))
            AssertSameJson(Fixture("GetOperations.json"), await operations.Content.ReadAsStringAsync());
    }

    private static IReadOnlyList<Span> DecodeFixture(string name)
    {
        var decoded = OtlpJsonDecoder.DecodeExportRequest(File.ReadAllBytes(Path.Combine(Fixtures, name)), DecodeLimits.Default);
        Assert.Equal(0, decoded.RejectedSpans);
        return decoded.Spans;
    }

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(Fixtures, name));

    private static void AssertSameJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"Expected {expected}{Environment.NewLine}got {actual}");
}
