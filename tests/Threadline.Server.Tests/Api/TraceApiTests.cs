using System.Net;
using Threadline.Core.Model;
using Threadline.Protocol;
using Threadline.Protocol.Otlp;
using Threadline.Server.Tests.Infrastructure;

namespace Threadline.Server.Tests.Api;

public sealed class TraceApiTests
{
    [Fact]
    public async Task Posted_trace_reads_back_losslessly_as_otlp_json()
    {
        await using var server = await TestServer.StartAsync();
        var spans = TestSpans.Trace();
        using (var post = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", OtlpJsonEncoder.EncodeExportRequest(spans), "application/json"))
            Assert.Equal(HttpStatusCode.OK, post.StatusCode);

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, $"/api/v1/traces/{spans[0].TraceId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.StartsWith("{\"resourceSpans\":", System.Text.Encoding.UTF8.GetString(body), StringComparison.Ordinal);
        AssertSameSpans(spans, OtlpJsonDecoder.DecodeExportRequest(body, DecodeLimits.Default).Spans);
    }

    [Fact]
    public async Task Accept_protobuf_returns_the_protobuf_encoding()
    {
        await using var server = await TestServer.StartAsync();
        var spans = TestSpans.Trace();
        using (var post = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", OtlpProtobufEncoder.EncodeExportRequest(spans), "application/x-protobuf"))
            Assert.Equal(HttpStatusCode.OK, post.StatusCode);

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, $"/api/v1/traces/{spans[0].TraceId}", accept: "application/x-protobuf");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);
        AssertSameSpans(spans, OtlpProtobufDecoder.DecodeExportRequest(await response.Content.ReadAsByteArrayAsync(), DecodeLimits.Default).Spans);
    }

    [Fact]
    public async Task Sixteen_digit_trace_id_finds_a_64_bit_trace()
    {
        await using var server = await TestServer.StartAsync();
        var traceId = TestSpans.NewTraceId();
        var zipkin = $$$"""[{"traceId":"{{{traceId.Low:x16}}}","id":"b000000000000001","name":"op","timestamp":1700000000000000,"duration":10,"localEndpoint":{"serviceName":"legacy"}}]""";
        using (var post = await HttpTestClient.PostAsync(server.ZipkinEndpoint, "/api/v2/spans", System.Text.Encoding.UTF8.GetBytes(zipkin), "application/json"))
            Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, $"/api/v1/traces/{traceId.Low:x16}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_trace_is_404_with_a_json_error()
    {
        await using var server = await TestServer.StartAsync();

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, $"/api/v1/traces/{TestSpans.NewTraceId()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("not found", (await HttpTestClient.JsonAsync(response)).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("xyz")]
    [InlineData("0af7651916cd43dd8448eb211c80319")] // 31 digits
    [InlineData("0af7651916cd43dd8448eb211c80319cc")] // 33 digits
    [InlineData("0af7651916cd43dd8448eb211c80319g")]
    [InlineData("00000000000000000000000000000000")]
    public async Task Malformed_trace_id_is_400_naming_the_parameter(string traceId)
    {
        await using var server = await TestServer.StartAsync();

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, $"/api/v1/traces/{traceId}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await HttpTestClient.JsonAsync(response);
        Assert.Equal("traceId", error.GetProperty("parameter").GetString());
        Assert.Contains("32 hex digits", error.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    private static void AssertSameSpans(IReadOnlyList<Span> expected, IReadOnlyList<Span> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        foreach (var want in expected)
        {
            var got = Assert.Single(actual, s => s.SpanId == want.SpanId);
            Assert.Equal(want.TraceId, got.TraceId);
            Assert.Equal(want.ParentSpanId, got.ParentSpanId);
            Assert.Equal(want.Name, got.Name);
            Assert.Equal(want.Kind, got.Kind);
            Assert.Equal(want.StartTimeUnixNano, got.StartTimeUnixNano);
            Assert.Equal(want.EndTimeUnixNano, got.EndTimeUnixNano);
            Assert.Equal(want.Status, got.Status);
            Assert.Equal(want.Attributes, got.Attributes);
            Assert.Equal(want.Events.Length, got.Events.Length);
            Assert.Equal(want.Resource.Attributes, got.Resource.Attributes);
            Assert.Equal(want.Scope.Name, got.Scope.Name);
            Assert.Equal(want.Scope.Version, got.Scope.Version);
        }
    }
}
