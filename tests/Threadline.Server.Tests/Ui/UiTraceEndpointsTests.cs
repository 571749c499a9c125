using System.Net;
using System.Text.Json;
using Threadline.Core.Model;
using Threadline.Protocol.Otlp;
using Threadline.Server.Hosting;
using Threadline.Server.Tests.Infrastructure;

namespace Threadline.Server.Tests.Ui;

/// <summary>The UI's trace routes: the outline in chunks, and one span's detail.</summary>
public sealed class UiTraceEndpointsTests
{
    private const ulong Start = 1_700_000_000_000_000_000;

    /// <summary>checkout's root, cart's child and grandchild, and a payments span whose parent never arrived.</summary>
    private static Span[] BrokenTrace()
    {
        var traceId = TestSpans.NewTraceId();
        Span Make(string service, string name, SpanId id, SpanId parent, ulong startOffset, ulong duration, StatusCode status = StatusCode.Unset) => new()
        {
            TraceId = traceId,
            SpanId = id,
            ParentSpanId = parent,
            Name = name,
            Kind = SpanKind.Server,
            StartTimeUnixNano = Start + startOffset,
            EndTimeUnixNano = Start + startOffset + duration,
            Status = new SpanStatus(status, string.Empty),
            Resource = TestSpans.ServiceResource(service),
            Attributes = [new KeyValue("note", "<script>alert(1)</script>")],
            Events = name == "grandchild" ? [new SpanEvent(Start + 5, "retry", [])] : [],
        };
        var root = TestSpans.NewSpanId();
        var child = TestSpans.NewSpanId();
        return
        [
            Make("checkout", "root", root, SpanId.Empty, 0, 100),
            Make("cart", "child", child, root, 2, 50),
            Make("cart", "grandchild", TestSpans.NewSpanId(), child, 4, 10, StatusCode.Error),
            Make("payments", "orphan", TestSpans.NewSpanId(), new SpanId(0x0bad0bad0bad0bad), 60, 30),
        ];
    }

    private static async Task<(ThreadlineServer Server, Span[] Spans)> StartWithTraceAsync()
    {
        var server = await TestServer.StartAsync();
        var spans = BrokenTrace();
        using var post = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", OtlpProtobufEncoder.EncodeExportRequest(spans), "application/x-protobuf");
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        return (server, spans);
    }

    private static int[] Ints(JsonElement chunk, string name) => chunk.GetProperty(name).EnumerateArray().Select(e => e.GetInt32()).ToArray();

    private static string[] Strings(JsonElement chunk, string name) => chunk.GetProperty(name).EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Fact]
    public async Task The_outline_pages_through_the_trace_in_tree_order()
    {
        var (server, spans) = await StartWithTraceAsync();
        await using var _ = server;
        var traceId = spans[0].TraceId;

        using var first = await HttpTestClient.GetAsync(server.ApiEndpoint, $"/api/v1/traces/{traceId}/outline?limit=3");
        using var second = await HttpTestClient.GetAsync(server.ApiEndpoint, $"/api/v1/traces/{traceId}/outline?offset=3&limit=3");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var a = await HttpTestClient.JsonAsync(first);
        var b = await HttpTestClient.JsonAsync(second);
        Assert.Equal(4, a.GetProperty("spanCount").GetInt32());
        Assert.Equal(Start.ToString(System.Globalization.CultureInfo.InvariantCulture), a.GetProperty("startTimeUnixNano").GetString());
        Assert.Equal(100, a.GetProperty("durationNanos").GetInt64());

        Assert.Equal([spans[0].SpanId.ToString(), spans[1].SpanId.ToString(), spans[2].SpanId.ToString()], Strings(a, "spanIds"));
        Assert.Equal([-1, 0, 1], Ints(a, "parents"));
        Assert.Equal(["checkout", "cart"], Strings(a, "services"));
        Assert.Equal([0, 1, 1], Ints(a, "serviceIndexes"));
        Assert.Equal(["root", "child", "grandchild"], Strings(a, "names"));
        Assert.Equal([0, 2, 4], Ints(a, "startOffsetNanos"));
        Assert.Equal([100, 50, 10], Ints(a, "spanDurationNanos"));
        Assert.Equal([0, 0, 2], Ints(a, "statuses"));
        Assert.Equal([2, 2, 2], Ints(a, "kinds"));
        Assert.Equal([0, 0, 2], Ints(a, "flags"));

        // The second chunk's tables hold only its own strings; its parent indexes are whole-trace ones.
        Assert.Equal(3, b.GetProperty("offset").GetInt32());
        Assert.Equal([spans[3].SpanId.ToString()], Strings(b, "spanIds"));
        Assert.Equal(["payments"], Strings(b, "services"));
        Assert.Equal([-1], Ints(b, "parents"));
        Assert.Equal([1], Ints(b, "flags"));
    }

    [Fact]
    public async Task A_span_detail_is_that_span_as_otlp_json()
    {
        var (server, spans) = await StartWithTraceAsync();
        await using var _ = server;

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, $"/api/v1/traces/{spans[2].TraceId}/spans/{spans[2].SpanId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var decoded = OtlpJsonDecoder.DecodeExportRequest(await response.Content.ReadAsByteArrayAsync(), Threadline.Protocol.DecodeLimits.Default).Spans;
        var span = Assert.Single(decoded);
        Assert.Equal(spans[2].SpanId, span.SpanId);
        Assert.Equal("cart", span.ServiceName);
        Assert.Equal("retry", Assert.Single(span.Events).Name);
    }

    [Theory]
    [InlineData("outline?limit=0", "limit")]
    [InlineData("outline?limit=200001", "limit")]
    [InlineData("outline?offset=-1", "offset")]
    [InlineData("outline?offset=5", "offset")]
    [InlineData("outline?offset=1&offset=2", "offset")]
    [InlineData("spans/xyz", "spanId")]
    [InlineData("spans/0000000000000000", "spanId")]
    public async Task Bad_parameters_are_a_400_naming_them(string route, string parameter)
    {
        var (server, spans) = await StartWithTraceAsync();
        await using var _ = server;

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, $"/api/v1/traces/{spans[0].TraceId}/{route}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(parameter, (await HttpTestClient.JsonAsync(response)).GetProperty("parameter").GetString());
    }

    [Theory]
    [InlineData("outline")]
    [InlineData("spans/00f0000000000001")]
    public async Task An_unknown_trace_is_a_404(string route)
    {
        await using var server = await TestServer.StartAsync();

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, $"/api/v1/traces/{TestSpans.NewTraceId()}/{route}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("was not found", (await HttpTestClient.JsonAsync(response)).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_span_not_in_the_trace_is_a_404_naming_both()
    {
        var (server, spans) = await StartWithTraceAsync();
        await using var _ = server;

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, $"/api/v1/traces/{spans[0].TraceId}/spans/00f00000000fffff");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal($"Span 00f00000000fffff is not in trace {spans[0].TraceId}.", (await HttpTestClient.JsonAsync(response)).GetProperty("error").GetString());
    }
}
