using System.Net;
using Grpc.Core;
using Threadline.Protocol.Otlp;
using Threadline.Server.Hosting;
using Threadline.Server.Tests.Infrastructure;
using Threadline.Storage;
using Threadline.Testing;

namespace Threadline.Server.Tests.Receivers;

/// <summary>
/// The OTLP/gRPC receiver (Grpc.AspNetCore) through a real gRPC client, Grpc.Net.Client, for
/// what a client sees of a well-formed call.
/// </summary>
public sealed class OtlpGrpcReceiverTests
{
    private const string StatusDetails = "grpc-status-details-bin";

    [Fact]
    public async Task Export_is_answered_ok_only_after_the_store_has_the_batch()
    {
        var store = new GatedStore();
        await using var server = await TestServer.StartAsync(store: store);
        using var client = new OtlpGrpcClient(server.OtlpGrpcEndpoint);
        var spans = TestSpans.Trace();

        var export = client.ExportAsync(OtlpProtobufEncoder.EncodeExportRequest(spans));
        await store.AppendEnteredAsync().WaitAsync(TestContext.SignalTimeout);
        Assert.False(export.IsCompleted, "the call was answered before the store accepted the batch");

        store.Open();
        Assert.Empty(await export);
        Assert.Equal(spans.Length, (await store.GetTraceAsync(spans[0].TraceId, TestContext.Timeout)).Count);
    }

    [Fact]
    public async Task Gzip_compressed_request_is_inflated_and_stored()
    {
        await using var server = await TestServer.StartAsync();
        using var client = new OtlpGrpcClient(server.OtlpGrpcEndpoint);
        var spans = TestSpans.Trace();

        await client.ExportAsync(OtlpProtobufEncoder.EncodeExportRequest(spans), gzip: true);

        Assert.Equal(spans.Length, (await Store(server).GetTraceAsync(spans[0].TraceId, TestContext.Timeout)).Count);
    }

    [Fact]
    public async Task Malformed_protobuf_is_invalid_argument_with_the_decoders_message()
    {
        await using var server = await TestServer.StartAsync();
        using var client = new OtlpGrpcClient(server.OtlpGrpcEndpoint);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.ExportAsync([0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("The message is not a valid ExportTraceServiceRequest: ", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("byte offset", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_ids_are_reported_as_partial_success_and_the_valid_spans_stored()
    {
        await using var server = await TestServer.StartAsync();
        using var client = new OtlpGrpcClient(server.OtlpGrpcEndpoint);
        var traceId = TestSpans.NewTraceId();
        var body = OtlpRequests.WithSpans("payments",
            OtlpRequests.Span(traceId.ToBytes(), TestSpans.NewSpanId().ToBytes(), "valid"),
            OtlpRequests.Span(traceId.ToBytes(), [9, 9], "short span id"));

        var response = await client.ExportAsync(body);

        var partialSuccess = ProtoReader.Fields(ProtoReader.Fields(response).Single(f => f.Number == 1).Bytes);
        Assert.Equal(1UL, partialSuccess.Single(f => f.Number == 1).Varint);
        Assert.NotEmpty(partialSuccess.Single(f => f.Number == 2).Text);
        Assert.Single(await Store(server).GetTraceAsync(traceId, TestContext.Timeout));
    }

    [Fact]
    public async Task Queue_full_is_resource_exhausted_with_retry_info()
    {
        var store = new GatedStore();
        await using var server = await TestServer.StartAsync(o => o.Ingest.MaxQueuedSpans = 1, store);
        using var client = new OtlpGrpcClient(server.OtlpGrpcEndpoint);
        var first = client.ExportAsync(OtlpProtobufEncoder.EncodeExportRequest(TestSpans.Trace()[..1]));
        await store.AppendEnteredAsync().WaitAsync(TestContext.SignalTimeout);

        var refused = await Assert.ThrowsAsync<RpcException>(() => client.ExportAsync(OtlpProtobufEncoder.EncodeExportRequest(TestSpans.Trace()[..1])));

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains("queue is full", refused.Status.Detail, StringComparison.Ordinal);
        AssertRetryInfo(refused, expectedSeconds: 1);

        store.Open();
        Assert.Empty(await first);
    }

    [Fact]
    public async Task Store_failure_is_unavailable_with_retry_info()
    {
        await using var server = await TestServer.StartAsync(store: new GatedStore(gateOpen: true) { Failure = new IOException("No space left on device (test).") });
        using var client = new OtlpGrpcClient(server.OtlpGrpcEndpoint);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.ExportAsync(OtlpProtobufEncoder.EncodeExportRequest(TestSpans.Trace())));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.False(string.IsNullOrEmpty(error.Status.Detail));
        AssertRetryInfo(error, expectedSeconds: 1);
    }

    [Fact]
    public async Task Message_over_the_size_limit_is_resource_exhausted()
    {
        await using var server = await TestServer.StartAsync(o => o.Receivers.MaxRequestBodyBytes = 1024);
        using var client = new OtlpGrpcClient(server.OtlpGrpcEndpoint);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.ExportAsync(new byte[4096]));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal("Received message exceeds the maximum configured message size.", error.Status.Detail);
    }

    [Theory]
    [InlineData(OtlpGrpcClient.TraceService, "Send")]
    [InlineData("opentelemetry.proto.collector.metrics.v1.MetricsService", "Export")]
    public async Task Unknown_method_or_service_is_unimplemented_with_the_port_guide_and_counted_as_wrong_port(string service, string method)
    {
        await using var server = await TestServer.StartAsync();
        using var client = new OtlpGrpcClient(server.OtlpGrpcEndpoint);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.ExportAsync([], service: service, method: method));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        Assert.StartsWith($"Nothing here answers POST /{service}/{method}. ", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains($"This port ({server.OtlpGrpcEndpoint.Port}) serves OTLP/gRPC (HTTP/2) traces at /{OtlpGrpcClient.TraceService}/Export.", error.Status.Detail, StringComparison.Ordinal);
        var metrics = await Metrics.MetricsEndpointTests.ScrapeAsync(server.ApiEndpoint);
        Assert.Equal(1, metrics.Value("threadline_receiver_requests_total", ("protocol", "unknown"), ("outcome", "wrong_port")));
        Assert.Equal(0, metrics.Sum("threadline_receiver_requests_total", ("protocol", "otlp_grpc")));
    }

    /// <summary>grpc-status-details-bin: google.rpc.Status{code, message, details: [Any{RetryInfo{Duration}}]}, as the OpenTelemetry SDKs read it.</summary>
    private static void AssertRetryInfo(RpcException error, ulong expectedSeconds)
    {
        var details = error.Trailers.GetValueBytes(StatusDetails);
        Assert.NotNull(details);
        var status = ProtoReader.Fields(details);
        Assert.Equal((ulong)error.StatusCode, status.Single(f => f.Number == 1).Varint);
        Assert.Equal(error.Status.Detail, status.Single(f => f.Number == 2).Text);
        var any = ProtoReader.Fields(status.Single(f => f.Number == 3).Bytes);
        Assert.Equal("type.googleapis.com/google.rpc.RetryInfo", any.Single(f => f.Number == 1).Text);
        var retryInfo = ProtoReader.Fields(any.Single(f => f.Number == 2).Bytes);
        var duration = ProtoReader.Fields(retryInfo.Single(f => f.Number == 1).Bytes);
        Assert.Equal(expectedSeconds, duration.Single(f => f.Number == 1).Varint);
    }

    internal static ITraceStore Store(ThreadlineServer server) => (ITraceStore)server.Services.GetService(typeof(ITraceStore))!;
}
