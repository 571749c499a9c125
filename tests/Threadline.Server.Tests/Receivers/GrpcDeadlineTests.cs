using Threadline.Protocol.Otlp;
using Threadline.Server.Tests.Infrastructure;
using Threadline.Testing;

namespace Threadline.Server.Tests.Receivers;

public sealed class GrpcDeadlineTests
{
    private const int Ok = 0;
    private const int InvalidArgument = 3;
    private const int DeadlineExceeded = 4;

    [Fact]
    public async Task Call_whose_deadline_passes_while_the_store_is_busy_is_answered_DEADLINE_EXCEEDED_and_the_spans_still_stored()
    {
        var store = new GatedStore();
        await using var server = await TestServer.StartAsync(store: store);
        var spans = TestSpans.Trace();

        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame(OtlpProtobufEncoder.EncodeExportRequest(spans)), grpcTimeout: "200m");

        Assert.Equal(DeadlineExceeded, call.Status);
        Assert.Contains("deadline of 200m", call.Message, StringComparison.Ordinal);
        // The batch was queued before the deadline: it is stored once the store takes it. The queue is
        // stored in order, so a later export answered OK means the first one is in.
        await store.AppendEnteredAsync().WaitAsync(TestContext.SignalTimeout);
        store.Open();
        var later = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame(OtlpProtobufEncoder.EncodeExportRequest(TestSpans.Trace())));
        Assert.Equal(Ok, later.Status);
        Assert.Equal(spans.Length, (await store.GetTraceAsync(spans[0].TraceId, TestContext.Timeout)).Count);
    }

    [Fact]
    public async Task Call_within_its_deadline_is_answered_OK()
    {
        await using var server = await TestServer.StartAsync();

        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame(OtlpProtobufEncoder.EncodeExportRequest(TestSpans.Trace())), grpcTimeout: "30S");

        Assert.Equal(Ok, call.Status);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("S")]
    [InlineData("123456789S")]
    [InlineData("10s")]
    [InlineData("-1S")]
    [InlineData("1.5S")]
    public async Task Malformed_grpc_timeout_is_INVALID_ARGUMENT(string header)
    {
        await using var server = await TestServer.StartAsync();

        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame(OtlpProtobufEncoder.EncodeExportRequest(TestSpans.Trace())), grpcTimeout: header);

        Assert.Equal(InvalidArgument, call.Status);
        Assert.Contains("grpc-timeout", call.Message, StringComparison.Ordinal);
    }
}
