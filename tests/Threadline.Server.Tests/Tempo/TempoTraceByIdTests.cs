using System.Net;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Threadline.Core.Model;
using Threadline.Server.Hosting;
using Threadline.Server.Tests.Infrastructure;
using Threadline.Storage;
using Wire = Threadline.Server.Tests.Tempo.Wire;
using Otlp = Threadline.TestSupport.Otlp;

namespace Threadline.Server.Tests.Tempo;

public sealed class TempoTraceByIdTests
{
    private static readonly TraceId KnownTrace = new(0, 0x2f3e0cee77ae5dc9);

    [Fact]
    public async Task V1_answers_the_trace_as_batches_in_protobuf_json()
    {
        await using var server = await StartWithTraceAsync();

        using var response = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/traces/2f3e0cee77ae5dc9");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TempoTestServer.Golden("trace_v1.json"), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task V2_answers_a_trace_by_id_response_that_protobuf_json_parses_strictly()
    {
        await using var server = await StartWithTraceAsync();

        using var response = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/v2/traces/2f3e0cee77ae5dc9");

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(TempoTestServer.Golden("trace_v2.json"), body);
        // Google's parser rejects unknown fields and hex ids: the trace is protobuf-JSON, as Tempo's jsonpb writes it.
        using var document = System.Text.Json.JsonDocument.Parse(body);
        var trace = new JsonParser(JsonParser.Settings.Default).Parse<Otlp.TracesData>(document.RootElement.GetProperty("trace").GetRawText());
        var spans = trace.ResourceSpans.Single().ScopeSpans.Single().Spans;
        Assert.Equal([0x00f0000000000abcUL, 0x00f0000000000abdUL], spans.Select(span => Convert.ToUInt64(Convert.ToHexString(span.SpanId.ToByteArray()), 16)));
        Assert.Equal(Otlp.Status.Types.StatusCode.Error, spans[1].Status.Code);
    }

    [Fact]
    public async Task Grafana_asks_v2_in_protobuf_first_and_gets_the_trace()
    {
        await using var server = await StartWithTraceAsync();

        using var response = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/v2/traces/2f3e0cee77ae5dc9", accept: "application/protobuf");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/protobuf", response.Content.Headers.ContentType?.MediaType);
        var answer = Wire.TraceByIDResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync());
        var trace = Otlp.TracesData.Parser.ParseFrom(answer.Trace);
        var spans = trace.ResourceSpans.Single().ScopeSpans.Single().Spans;
        Assert.Equal(["GET /cart", "SELECT cart"], spans.Select(span => span.Name));
        Assert.All(spans, span => Assert.Equal(KnownTrace.ToBytes(), span.TraceId.ToByteArray()));
    }

    [Fact]
    public async Task Unknown_id_is_an_empty_trace_on_v2_and_404_on_v1_so_grafana_falls_back_and_reports_not_found()
    {
        await using var server = await TempoTestServer.StartAsync();

        using var v2 = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/v2/traces/0123456789abcdef", accept: "application/protobuf");
        using var v2Json = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/v2/traces/0123456789abcdef");
        using var v1 = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/traces/0123456789abcdef", accept: "application/protobuf");

        Assert.Equal(HttpStatusCode.OK, v2.StatusCode);
        var answer = Wire.TraceByIDResponse.Parser.ParseFrom(await v2.Content.ReadAsByteArrayAsync());
        Assert.Empty(Otlp.TracesData.Parser.ParseFrom(answer.Trace).ResourceSpans);
        Assert.Equal(HttpStatusCode.OK, v2Json.StatusCode);
        Assert.Equal("""{"trace":{}}""", await v2Json.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, v1.StatusCode);
        Assert.Empty(await v1.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("2f3e0cee77ae5dc9")]
    [InlineData("00000000000000002f3e0cee77ae5dc9")]
    [InlineData("2F3E0CEE77AE5DC9")]
    [InlineData("0002f3e0cee77ae5dc9")]
    public async Task Every_id_form_tempo_accepts_finds_the_trace(string id)
    {
        await using var server = await StartWithTraceAsync();

        using var response = await HttpTestClient.GetAsync(server.TempoEndpoint, $"/api/traces/{id}", accept: "application/protobuf");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, Otlp.TracesData.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync()).ResourceSpans.Single().ScopeSpans.Single().Spans.Count);
    }

    [Theory]
    [InlineData("2f3e0cee77ae5dcz", "trace IDs can only contain hex characters: invalid character 'z' at position 16")]
    [InlineData("100000000000000000000000000000000", "trace IDs can't be larger than 128 bits (got 33 hex digits)")]
    public async Task A_malformed_id_is_400_with_tempos_plain_text_reason(string id, string reason)
    {
        await using var server = await TempoTestServer.StartAsync();

        foreach (var path in new[] { "/api/traces/", "/api/v2/traces/" })
        {
            using var response = await HttpTestClient.GetAsync(server.TempoEndpoint, path + id);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(reason, (await response.Content.ReadAsStringAsync()).TrimEnd('\n'));
        }
    }

    [Fact]
    public async Task Tempo_paths_answer_only_on_the_tempo_port()
    {
        await using var server = await StartWithTraceAsync();

        // /api/traces/{id} on the API port is the Jaeger-compatible API's; /api/v2/traces is Tempo's alone.
        using var onApiPort = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/v2/traces/2f3e0cee77ae5dc9");

        Assert.Equal(HttpStatusCode.NotFound, onApiPort.StatusCode);
        Assert.Contains($"the Tempo-compatible API for Grafana on :{server.TempoEndpoint.Port}", await onApiPort.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<ThreadlineServer> StartWithTraceAsync()
    {
        var server = await TempoTestServer.StartAsync();
        var resource = new Resource([new KeyValue("service.name", "cart")]);
        var scope = new InstrumentationScope("cart-lib", "1.2.0");
        const ulong start = 1_700_000_000_000_000_000;
        Span[] spans =
        [
            new()
            {
                TraceId = KnownTrace, SpanId = new SpanId(0x00f0000000000abc), Name = "GET /cart", Kind = SpanKind.Server,
                StartTimeUnixNano = start, EndTimeUnixNano = start + 150_000_000,
                Attributes = [new KeyValue("http.response.status_code", 200L)], Status = new SpanStatus(StatusCode.Ok, string.Empty),
                Resource = resource, Scope = scope,
            },
            new()
            {
                TraceId = KnownTrace, SpanId = new SpanId(0x00f0000000000abd), ParentSpanId = new SpanId(0x00f0000000000abc),
                Name = "SELECT cart", Kind = SpanKind.Client, StartTimeUnixNano = start + 10_000_000, EndTimeUnixNano = start + 40_000_000,
                Status = new SpanStatus(StatusCode.Error, "timeout"), Resource = resource, Scope = scope,
            },
        ];
        await server.Services.GetRequiredService<ITraceStore>().AppendAsync(spans, TestContext.Timeout);
        return server;
    }
}
