using System.Net;
using Threadline.Protocol.Otlp;
using Threadline.Server.Tests.Infrastructure;
using Threadline.Testing;

namespace Threadline.Server.Tests.Receivers;

/// <summary>
/// The OTLP/gRPC receiver on the wire, through a hand-made HTTP/2 client that can send what no
/// gRPC library would: broken framing, corrupt gzip, the wrong content type. Every answer is a
/// status a client can act on, with a message naming what was wrong.
/// </summary>
public sealed class OtlpGrpcWireTests
{
    private const int Ok = 0;
    private const int InvalidArgument = 3;
    private const int ResourceExhausted = 8;
    private const int Unimplemented = 12;
    private const int Internal = 13;

    [Fact]
    public async Task Export_is_answered_with_a_framed_response_and_ok_trailers()
    {
        await using var server = await TestServer.StartAsync();
        var spans = TestSpans.Trace();

        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame(OtlpProtobufEncoder.EncodeExportRequest(spans)));

        Assert.Equal(HttpStatusCode.OK, call.HttpStatus);
        Assert.Equal(Ok, call.Status);
        Assert.NotNull(call.ResponseMessage);
        Assert.Empty(call.ResponseMessage);
        Assert.Equal(2, (await OtlpGrpcReceiverTests.Store(server).GetTraceAsync(spans[0].TraceId, TestContext.Timeout)).Count);
    }

    [Fact]
    public async Task Queue_full_answer_carries_its_retry_info_in_real_trailers()
    {
        var store = new GatedStore();
        await using var server = await TestServer.StartAsync(o => o.Ingest.MaxQueuedSpans = 1, store);
        var first = GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame(OtlpProtobufEncoder.EncodeExportRequest(TestSpans.Trace()[..1])));
        await store.AppendEnteredAsync().WaitAsync(TestContext.SignalTimeout);

        var refused = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame(OtlpProtobufEncoder.EncodeExportRequest(TestSpans.Trace()[..1])));

        // The OpenTelemetry .NET exporter looks for grpc-status-details-bin only in trailers.
        Assert.Equal(ResourceExhausted, refused.Status);
        Assert.True(refused.StatusInTrailers, "the refusal was trailers-only");
        Assert.NotNull(refused.StatusDetails);
        store.Open();
        Assert.Equal(Ok, (await first).Status);
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
        Assert.Equal(2, (await OtlpGrpcReceiverTests.Store(server).GetTraceAsync(spans[^1].TraceId, TestContext.Timeout)).Count);
    }

    [Fact]
    public async Task Empty_request_message_is_a_valid_export_of_nothing()
    {
        await using var server = await TestServer.StartAsync();

        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame([]));

        Assert.Equal(Ok, call.Status);
    }

    [Theory]
    [InlineData("empty body")]
    [InlineData("partial prefix")]
    [InlineData("truncated message")]
    public async Task Request_without_one_whole_message_is_invalid_argument(string shape)
    {
        await using var server = await TestServer.StartAsync();
        var message = OtlpProtobufEncoder.EncodeExportRequest(TestSpans.Trace());
        byte[] body = shape switch
        {
            "empty body" => [],
            "partial prefix" => [0, 0, 0],
            _ => GrpcTestClient.Frame(message.AsSpan(0, 10), declaredLength: (uint)message.Length),
        };

        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, body);

        Assert.Equal(InvalidArgument, call.Status);
        Assert.Contains("before one whole gRPC message arrived", call.Message, StringComparison.Ordinal);
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
    public async Task Undefined_compressed_flag_is_invalid_argument()
    {
        await using var server = await TestServer.StartAsync();
        var frame = GrpcTestClient.Frame([]);
        frame[0] = 2;

        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, frame);

        Assert.Equal(InvalidArgument, call.Status);
        Assert.Contains("compressed flag must be 0 or 1", call.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Message_over_the_limit_is_refused_from_its_prefix()
    {
        await using var server = await TestServer.StartAsync(o => o.Receivers.MaxRequestBodyBytes = 1024);

        // The prefix announces 1 GiB; only the prefix is sent, so an answer proves nothing more was awaited.
        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame([], declaredLength: 1 << 30));

        Assert.Equal(ResourceExhausted, call.Status);
        Assert.Equal("Received message exceeds the maximum configured message size.", call.Message);
    }

    [Fact]
    public async Task Gzip_bomb_is_resource_exhausted_and_the_server_keeps_serving()
    {
        await using var server = await TestServer.StartAsync();

        var bomb = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame(Gzip.Bomb, compressed: true), grpcEncoding: "gzip");
        Assert.Equal(ResourceExhausted, bomb.Status);
        Assert.Equal("The gzip message inflates past the limit of 16777216 bytes; send smaller batches.", bomb.Message);

        var next = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame(OtlpProtobufEncoder.EncodeExportRequest(TestSpans.Trace())));
        Assert.Equal(Ok, next.Status);
    }

    [Fact]
    public async Task Corrupt_gzip_message_is_invalid_argument()
    {
        await using var server = await TestServer.StartAsync();

        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame("not gzip"u8, compressed: true), grpcEncoding: "gzip");

        Assert.Equal(InvalidArgument, call.Status);
        Assert.StartsWith("The message is not valid gzip after 0 inflated bytes", call.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compressed_flag_without_grpc_encoding_is_internal_as_the_grpc_compression_spec_says()
    {
        await using var server = await TestServer.StartAsync();

        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame(Gzip.Compress([1, 2, 3]), compressed: true));

        Assert.Equal(Internal, call.Status);
        Assert.Contains("grpc-encoding", call.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsupported_grpc_encoding_is_unimplemented_naming_the_supported_ones()
    {
        await using var server = await TestServer.StartAsync();

        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame([1, 2, 3], compressed: true), grpcEncoding: "snappy");

        Assert.Equal(Unimplemented, call.Status);
        Assert.Equal("Unsupported grpc-encoding value 'snappy'. Supported encodings: identity, gzip", call.Message);
    }

    [Fact]
    public async Task Json_codec_is_read_as_protobuf_and_refused_as_invalid_argument()
    {
        await using var server = await TestServer.StartAsync();
        var json = OtlpJsonEncoder.EncodeExportRequest(TestSpans.Trace());

        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame(json), contentType: "application/grpc+json");

        Assert.Equal(InvalidArgument, call.Status);
        Assert.StartsWith("The message is not a valid ExportTraceServiceRequest: ", call.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Non_grpc_content_type_is_http_415()
    {
        await using var server = await TestServer.StartAsync();

        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, [], contentType: "application/json");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, call.HttpStatus);
    }

    [Fact]
    public async Task Each_answer_is_counted_for_otlp_grpc_in_the_metrics()
    {
        await using var server = await TestServer.StartAsync(o => o.Receivers.MaxRequestBodyBytes = 1024);
        var endpoint = server.OtlpGrpcEndpoint;

        Assert.Equal(Ok, (await GrpcTestClient.CallAsync(endpoint, GrpcTestClient.Frame(OtlpProtobufEncoder.EncodeExportRequest(TestSpans.Trace())))).Status);
        Assert.Equal(InvalidArgument, (await GrpcTestClient.CallAsync(endpoint, GrpcTestClient.Frame([0x0A, 0xFF, 0xFF]))).Status);
        Assert.Equal(InvalidArgument, (await GrpcTestClient.CallAsync(endpoint, [])).Status);
        Assert.Equal(ResourceExhausted, (await GrpcTestClient.CallAsync(endpoint, GrpcTestClient.Frame(new byte[2048]))).Status);
        Assert.Equal(Unimplemented, (await GrpcTestClient.CallAsync(endpoint, GrpcTestClient.Frame([1], compressed: true), grpcEncoding: "snappy")).Status);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await GrpcTestClient.CallAsync(endpoint, [], contentType: "application/json")).HttpStatus);

        var metrics = await Metrics.MetricsEndpointTests.ScrapeAsync(server.ApiEndpoint);
        Assert.Equal(1, metrics.Value("threadline_receiver_requests_total", ("protocol", "otlp_grpc"), ("outcome", "accepted")));
        Assert.Equal(2, metrics.Value("threadline_receiver_spans_total", ("protocol", "otlp_grpc"), ("outcome", "accepted")));
        Assert.Equal(2, metrics.Value("threadline_receiver_requests_total", ("protocol", "otlp_grpc"), ("outcome", "malformed")));
        Assert.Equal(1, metrics.Value("threadline_receiver_requests_total", ("protocol", "otlp_grpc"), ("outcome", "too_large")));
        Assert.Equal(2, metrics.Value("threadline_receiver_requests_total", ("protocol", "otlp_grpc"), ("outcome", "unsupported")));
    }
}
