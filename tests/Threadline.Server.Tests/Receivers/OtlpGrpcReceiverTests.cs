using System.Net;
using Threadline.Protocol.Otlp;
using Threadline.Server.Hosting;
using Threadline.Server.Tests.Infrastructure;
using Threadline.Storage;
using Threadline.Testing;

namespace Threadline.Server.Tests.Receivers;

public sealed class OtlpGrpcReceiverTests
{
    private const int Ok = 0;
    private const int InvalidArgument = 3;
    private const int ResourceExhausted = 8;
    private const int Unimplemented = 12;
    private const int Internal = 13;
    private const int Unavailable = 14;

    [Fact]
    public async Task Export_is_stored_and_answered_with_a_framed_response_and_ok_trailers()
    {
        await using var server = await TestServer.StartAsync();
        var spans = TestSpans.Trace();

        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame(OtlpProtobufEncoder.EncodeExportRequest(spans)));

        Assert.Equal(HttpStatusCode.OK, call.HttpStatus);
        Assert.Equal(Ok, call.Status);
        Assert.NotNull(call.ResponseMessage);
        Assert.Empty(call.ResponseMessage);
        Assert.Equal("gzip", call.Headers.GetValues("grpc-accept-encoding").Single());
        Assert.Equal(2, (await Store(server).GetTraceAsync(spans[0].TraceId, TestContext.Timeout)).Count);
    }

    [Fact]
    public async Task Gzip_compressed_message_is_inflated()
    {
        await using var server = await TestServer.StartAsync();
        var spans = TestSpans.Trace();
        var compressed = Gzip.Compress(OtlpProtobufEncoder.EncodeExportRequest(spans));

        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame(compressed, compressed: true), grpcEncoding: "gzip");

        Assert.Equal(Ok, call.Status);
        Assert.Equal(2, (await Store(server).GetTraceAsync(spans[0].TraceId, TestContext.Timeout)).Count);
    }

    [Fact]
    public async Task Large_message_arriving_in_many_frames_is_read_whole()
    {
        await using var server = await TestServer.StartAsync();
        var spans = Enumerable.Range(0, 10_000).SelectMany(i => TestSpans.Trace(service: "bulk", rootName: $"op {i}")).ToArray();
        var message = OtlpProtobufEncoder.EncodeExportRequest(spans);
        Assert.True(message.Length > 1024 * 1024, "the message should be larger than Kestrel's HTTP/2 stream window");

        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame(message));

        Assert.Equal(Ok, call.Status);
        Assert.Equal(2, (await Store(server).GetTraceAsync(spans[^1].TraceId, TestContext.Timeout)).Count);
    }

    [Fact]
    public async Task Empty_request_message_is_a_valid_export_of_nothing()
    {
        await using var server = await TestServer.StartAsync();

        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame([]));

        Assert.Equal(Ok, call.Status);
    }

    [Fact]
    public async Task Malformed_protobuf_is_invalid_argument_with_a_message()
    {
        await using var server = await TestServer.StartAsync();

        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame([0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]));

        Assert.Equal(HttpStatusCode.OK, call.HttpStatus);
        Assert.Equal(InvalidArgument, call.Status);
        Assert.Contains("not a valid ExportTraceServiceRequest", call.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncated_frame_is_invalid_argument()
    {
        await using var server = await TestServer.StartAsync();
        var message = OtlpProtobufEncoder.EncodeExportRequest(TestSpans.Trace());

        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame(message.AsSpan(0, 10), declaredLength: (uint)message.Length));

        Assert.Equal(InvalidArgument, call.Status);
        Assert.Contains("truncated", call.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Partial_prefix_is_invalid_argument()
    {
        await using var server = await TestServer.StartAsync();

        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, [0, 0, 0]);

        Assert.Equal(InvalidArgument, call.Status);
        Assert.Contains("5-byte", call.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_body_is_invalid_argument()
    {
        await using var server = await TestServer.StartAsync();

        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, []);

        Assert.Equal(InvalidArgument, call.Status);
        Assert.Contains("no message", call.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_messages_in_a_unary_call_are_invalid_argument()
    {
        await using var server = await TestServer.StartAsync();
        var frame = GrpcTestClient.Frame(OtlpProtobufEncoder.EncodeExportRequest(TestSpans.Trace()));

        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, [.. frame, .. frame]);

        Assert.Equal(InvalidArgument, call.Status);
        Assert.Contains("more than one message", call.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Message_over_the_limit_is_resource_exhausted_without_reading_it()
    {
        await using var server = await TestServer.StartAsync(o => o.Receivers.MaxRequestBodyBytes = 1024);

        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame(new byte[4096]));

        Assert.Equal(ResourceExhausted, call.Status);
        Assert.Contains("limit of 1024 bytes", call.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gzip_bomb_is_resource_exhausted_and_the_server_keeps_serving()
    {
        await using var server = await TestServer.StartAsync();

        var bomb = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame(Gzip.Bomb, compressed: true), grpcEncoding: "gzip");
        Assert.Equal(ResourceExhausted, bomb.Status);

        var next = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame(OtlpProtobufEncoder.EncodeExportRequest(TestSpans.Trace())));
        Assert.Equal(Ok, next.Status);
    }

    [Fact]
    public async Task Malformed_gzip_message_is_invalid_argument()
    {
        await using var server = await TestServer.StartAsync();

        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame("not gzip"u8, compressed: true), grpcEncoding: "gzip");

        Assert.Equal(InvalidArgument, call.Status);
        Assert.Contains("gzip", call.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compressed_flag_without_grpc_encoding_is_internal()
    {
        await using var server = await TestServer.StartAsync();

        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame(Gzip.Compress([1, 2, 3]), compressed: true));

        Assert.Equal(Internal, call.Status);
    }

    [Fact]
    public async Task Unsupported_grpc_encoding_is_unimplemented_with_a_message()
    {
        await using var server = await TestServer.StartAsync();

        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame([1, 2, 3], compressed: true), grpcEncoding: "snappy");

        Assert.Equal(Unimplemented, call.Status);
        Assert.Contains("'snappy'", call.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_method_is_unimplemented()
    {
        await using var server = await TestServer.StartAsync();

        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame([]), path: "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export");

        Assert.Equal(HttpStatusCode.OK, call.HttpStatus);
        Assert.Equal(Unimplemented, call.Status);
        Assert.Contains("MetricsService", call.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Non_grpc_content_type_is_http_415()
    {
        await using var server = await TestServer.StartAsync();

        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, [], contentType: "application/json");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, call.HttpStatus);
    }

    [Fact]
    public async Task Invalid_ids_are_reported_as_partial_success_and_the_valid_spans_stored()
    {
        await using var server = await TestServer.StartAsync();
        var traceId = TestSpans.NewTraceId();
        var body = OtlpRequests.WithSpans("payments",
            OtlpRequests.Span(traceId.ToBytes(), TestSpans.NewSpanId().ToBytes(), "valid"),
            OtlpRequests.Span(traceId.ToBytes(), [9, 9], "short span id"));

        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame(body));

        Assert.Equal(Ok, call.Status);
        var partialSuccess = ProtoReader.Fields(ProtoReader.Fields(call.ResponseMessage).Single(f => f.Number == 1).Bytes);
        Assert.Equal(1UL, partialSuccess.Single(f => f.Number == 1).Varint);
        Assert.Single(await Store(server).GetTraceAsync(traceId, TestContext.Timeout));
    }

    [Fact]
    public async Task Queue_full_is_resource_exhausted_with_retry_info()
    {
        var store = new GatedStore();
        await using var server = await TestServer.StartAsync(o => o.Ingest.MaxQueuedSpans = 1, store);
        var first = GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame(OtlpProtobufEncoder.EncodeExportRequest(TestSpans.Trace()[..1])));
        await store.AppendEnteredAsync().WaitAsync(TestContext.SignalTimeout);

        var refused = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame(OtlpProtobufEncoder.EncodeExportRequest(TestSpans.Trace()[..1])));

        Assert.Equal(HttpStatusCode.OK, refused.HttpStatus);
        Assert.Equal(ResourceExhausted, refused.Status);
        Assert.Contains("queue is full", refused.Message, StringComparison.Ordinal);

        // grpc-status-details-bin: google.rpc.Status{code, message, details: [Any{RetryInfo{Duration}}]}
        var status = ProtoReader.Fields(refused.StatusDetails);
        Assert.Equal((ulong)ResourceExhausted, status.Single(f => f.Number == 1).Varint);
        Assert.Equal(refused.Message, status.Single(f => f.Number == 2).Text);
        var any = ProtoReader.Fields(status.Single(f => f.Number == 3).Bytes);
        Assert.Equal("type.googleapis.com/google.rpc.RetryInfo", any.Single(f => f.Number == 1).Text);
        var retryInfo = ProtoReader.Fields(any.Single(f => f.Number == 2).Bytes);
        var duration = ProtoReader.Fields(retryInfo.Single(f => f.Number == 1).Bytes);
        Assert.Equal(1UL, duration.Single(f => f.Number == 1).Varint);

        store.Open();
        Assert.Equal(Ok, (await first).Status);
    }

    [Fact]
    public async Task Store_failure_is_unavailable()
    {
        await using var server = await TestServer.StartAsync(store: new GatedStore(gateOpen: true) { Failure = new IOException("No space left on device (test).") });

        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame(OtlpProtobufEncoder.EncodeExportRequest(TestSpans.Trace())));

        Assert.Equal(Unavailable, call.Status);
        Assert.NotNull(call.StatusDetails);
    }

    private static ITraceStore Store(ThreadlineServer server) => (ITraceStore)server.Services.GetService(typeof(ITraceStore))!;
}
