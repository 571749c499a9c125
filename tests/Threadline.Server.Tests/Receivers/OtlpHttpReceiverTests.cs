using System.Net;
using System.Text;
using Threadline.Protocol.Otlp;
using Threadline.Server.Tests.Infrastructure;
using Threadline.Storage;
using Threadline.Testing;

namespace Threadline.Server.Tests.Receivers;

public sealed class OtlpHttpReceiverTests
{
    private const string Protobuf = "application/x-protobuf";
    private const string Json = "application/json";

    [Fact]
    public async Task Protobuf_export_is_stored_before_the_200_answer()
    {
        await using var server = await TestServer.StartAsync();
        var spans = TestSpans.Trace();

        using var response = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", OtlpProtobufEncoder.EncodeExportRequest(spans), Protobuf);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Protobuf, response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        var stored = await Store(server).GetTraceAsync(spans[0].TraceId, TestContext.Timeout);
        Assert.Equal(2, stored.Count);
    }

    [Fact]
    public async Task Json_export_is_answered_in_json()
    {
        await using var server = await TestServer.StartAsync();
        var spans = TestSpans.Trace();

        using var response = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", OtlpJsonEncoder.EncodeExportRequest(spans), "application/json; charset=utf-8");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Json, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{}", await response.Content.ReadAsStringAsync());
        Assert.Equal(2, (await Store(server).GetTraceAsync(spans[0].TraceId, TestContext.Timeout)).Count);
    }

    [Fact]
    public async Task Gzip_body_is_inflated()
    {
        await using var server = await TestServer.StartAsync();
        var spans = TestSpans.Trace();

        using var response = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces",
            Gzip.Compress(OtlpProtobufEncoder.EncodeExportRequest(spans)), Protobuf, "gzip");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await Store(server).GetTraceAsync(spans[0].TraceId, TestContext.Timeout)).Count);
    }

    [Fact]
    public async Task Malformed_protobuf_is_400_with_a_status_saying_what_is_wrong()
    {
        await using var server = await TestServer.StartAsync();

        using var response = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], Protobuf);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(Protobuf, response.Content.Headers.ContentType?.MediaType);
        var status = ProtoReader.Fields(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(3UL, status.Single(f => f.Number == 1).Varint);
        Assert.Contains("not a valid OTLP protobuf ExportTraceServiceRequest", status.Single(f => f.Number == 2).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncated_protobuf_is_400()
    {
        await using var server = await TestServer.StartAsync();
        var whole = OtlpProtobufEncoder.EncodeExportRequest(TestSpans.Trace());

        using var response = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", whole[..(whole.Length / 2)], Protobuf);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var status = ProtoReader.Fields(await response.Content.ReadAsByteArrayAsync());
        Assert.False(string.IsNullOrEmpty(status.Single(f => f.Number == 2).Text));
    }

    [Fact]
    public async Task Malformed_json_is_400_with_a_json_status()
    {
        await using var server = await TestServer.StartAsync();

        using var response = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", "{\"resourceSpans\": [ {"u8.ToArray(), Json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var status = await HttpTestClient.JsonAsync(response);
        Assert.Equal(3, status.GetProperty("code").GetInt32());
        Assert.Contains("OTLP/JSON", status.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsupported_content_type_is_415()
    {
        await using var server = await TestServer.StartAsync();

        using var response = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", "hello"u8.ToArray(), "text/plain");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var status = await HttpTestClient.JsonAsync(response);
        Assert.Contains("text/plain", status.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsupported_content_encoding_is_415()
    {
        await using var server = await TestServer.StartAsync();

        using var response = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", OtlpProtobufEncoder.EncodeExportRequest(TestSpans.Trace()), Protobuf, "br");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var status = ProtoReader.Fields(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains("'br'", status.Single(f => f.Number == 2).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Body_over_the_limit_is_413()
    {
        await using var server = await TestServer.StartAsync(o => o.Receivers.MaxRequestBodyBytes = 1024);

        using var response = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", new byte[4096], Protobuf);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Gzip_body_that_inflates_past_the_limit_is_413()
    {
        await using var server = await TestServer.StartAsync(o => o.Receivers.MaxRequestBodyBytes = 1024);
        var compressed = Gzip.Compress(new byte[64 * 1024]);
        Assert.True(compressed.Length < 1024);

        using var response = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", compressed, Protobuf, "gzip");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Gzip_bomb_is_refused_with_413_and_the_server_keeps_serving()
    {
        await using var server = await TestServer.StartAsync();

        using (var response = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", Gzip.Bomb, Protobuf, "gzip"))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }

        var spans = TestSpans.Trace();
        using var next = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", OtlpProtobufEncoder.EncodeExportRequest(spans), Protobuf);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(1, await TooLargeRequests(server));
    }

    [Fact]
    public async Task Malformed_gzip_is_400()
    {
        await using var server = await TestServer.StartAsync();

        using var response = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", "this is not gzip at all"u8.ToArray(), Json, "gzip");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var status = await HttpTestClient.JsonAsync(response);
        Assert.Contains("gzip", status.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Spans_with_invalid_ids_are_rejected_as_partial_success_and_the_valid_ones_stored()
    {
        await using var server = await TestServer.StartAsync();
        var traceId = TestSpans.NewTraceId();
        var body = OtlpRequests.WithSpans("inventory",
            OtlpRequests.Span(traceId.ToBytes(), TestSpans.NewSpanId().ToBytes(), "valid"),
            OtlpRequests.Span([1, 2, 3], TestSpans.NewSpanId().ToBytes(), "short trace id"),
            OtlpRequests.Span(traceId.ToBytes(), new byte[8], "zero span id"));

        using var response = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", body, Protobuf);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var partialSuccess = ProtoReader.Fields(ProtoReader.Fields(await response.Content.ReadAsByteArrayAsync()).Single(f => f.Number == 1).Bytes);
        Assert.Equal(2UL, partialSuccess.Single(f => f.Number == 1).Varint);
        Assert.Contains("rejected", partialSuccess.Single(f => f.Number == 2).Text, StringComparison.Ordinal);
        var stored = await Store(server).GetTraceAsync(traceId, TestContext.Timeout);
        Assert.Equal("valid", Assert.Single(stored).Name);
    }

    [Fact]
    public async Task Json_spans_with_invalid_ids_are_rejected_as_partial_success()
    {
        await using var server = await TestServer.StartAsync();
        var traceId = TestSpans.NewTraceId();
        var json = $$$"""
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"inventory"}}]},
              "scopeSpans":[{"spans":[
                {"traceId":"{{{traceId}}}","spanId":"{{{TestSpans.NewSpanId()}}}","name":"valid","startTimeUnixNano":"1","endTimeUnixNano":"2"},
                {"traceId":"00000000000000000000000000000000","spanId":"{{{TestSpans.NewSpanId()}}}","name":"zero trace id","startTimeUnixNano":"1","endTimeUnixNano":"2"}
              ]}]}]}
            """;

        using var response = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", Encoding.UTF8.GetBytes(json), Json);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var partialSuccess = (await HttpTestClient.JsonAsync(response)).GetProperty("partialSuccess");
        Assert.Equal("1", partialSuccess.GetProperty("rejectedSpans").ToString());
        Assert.Single(await Store(server).GetTraceAsync(traceId, TestContext.Timeout));
    }

    [Fact]
    public async Task Wrong_method_is_405()
    {
        await using var server = await TestServer.StartAsync();

        using var response = await HttpTestClient.GetAsync(server.OtlpHttpEndpoint, "/v1/traces");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Queue_full_is_429_with_retry_after_and_nothing_is_lost_silently()
    {
        var store = new GatedStore();
        await using var server = await TestServer.StartAsync(o => o.Ingest.MaxQueuedSpans = 1, store);
        var first = TestSpans.Trace()[..1];
        var firstCall = HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", OtlpProtobufEncoder.EncodeExportRequest(first), Protobuf);
        await store.AppendEnteredAsync().WaitAsync(TestContext.SignalTimeout);

        using (var refused = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", OtlpJsonEncoder.EncodeExportRequest(TestSpans.Trace()[..1]), Json))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
            var status = await HttpTestClient.JsonAsync(refused);
            Assert.Equal(8, status.GetProperty("code").GetInt32());
            Assert.Equal("1s", status.GetProperty("details")[0].GetProperty("retryDelay").GetString());
        }

        store.Open();
        using var accepted = await firstCall;
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Single(await store.GetTraceAsync(first[0].TraceId, TestContext.Timeout));
    }

    [Fact]
    public async Task Store_failure_is_503_with_retry_after()
    {
        await using var server = await TestServer.StartAsync(o => o.Ingest.RetryAfterSeconds = 7, new GatedStore(gateOpen: true) { Failure = new IOException("No space left on device (test).") });

        using var response = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", OtlpProtobufEncoder.EncodeExportRequest(TestSpans.Trace()), Protobuf);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        var status = ProtoReader.Fields(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(14UL, status.Single(f => f.Number == 1).Varint);
    }

    [Fact]
    public async Task Receiver_answers_only_on_its_own_port()
    {
        await using var server = await TestServer.StartAsync();

        using var response = await HttpTestClient.PostAsync(server.ApiEndpoint, "/v1/traces", OtlpProtobufEncoder.EncodeExportRequest(TestSpans.Trace()), Protobuf);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static ITraceStore Store(Threadline.Server.Hosting.ThreadlineServer server) =>
        (ITraceStore)server.Services.GetService(typeof(ITraceStore))!;

    private static async Task<long> TooLargeRequests(Threadline.Server.Hosting.ThreadlineServer server)
    {
        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/v1/status");
        return (await HttpTestClient.JsonAsync(response)).GetProperty("receivers").GetProperty("tooLargeRequests").GetInt64();
    }
}
