using Grpc.Core;
using Threadline.Protocol.Otlp;
using Threadline.Server.Tests.Infrastructure;
using Threadline.Testing;

namespace Threadline.Server.Tests.Receivers;

/// <summary>
/// Grpc.AspNetCore enforces the client's <c>grpc-timeout</c>: past it, the call is answered
/// DEADLINE_EXCEEDED at once, and spans already queued are still stored.
/// </summary>
public sealed class GrpcDeadlineTests
{
    private const int Ok = 0;
    private const int DeadlineExceeded = 4;

    [Fact]
    public async Task Server_answers_DEADLINE_EXCEEDED_when_the_deadline_passes_while_the_store_is_busy_and_still_stores_the_spans()
    {
        var store = new GatedStore();
        await using var server = await TestServer.StartAsync(store: store);
        var spans = TestSpans.Trace();

        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame(OtlpProtobufEncoder.EncodeExportRequest(spans)), grpcTimeout: "200m");

        Assert.Equal(DeadlineExceeded, call.Status);
        Assert.Equal("Deadline Exceeded", call.Message);
        await AssertStoredOnceTheStoreOpensAsync(server, store, spans);
    }

    [Fact]
    public async Task Grpc_client_whose_deadline_passes_sees_DEADLINE_EXCEEDED_and_the_spans_are_still_stored()
    {
        var store = new GatedStore();
        await using var server = await TestServer.StartAsync(store: store);
        using var client = new OtlpGrpcClient(server.OtlpGrpcEndpoint);
        var spans = TestSpans.Trace();

        // Long enough for the batch to reach the queue on a busy machine; the closed store then holds
        // the call until the deadline passes.
        var export = client.ExportAsync(OtlpProtobufEncoder.EncodeExportRequest(spans), deadline: DateTime.UtcNow.AddSeconds(3));
        await store.AppendEnteredAsync().WaitAsync(TestContext.SignalTimeout);

        var error = await Assert.ThrowsAsync<RpcException>(() => export);

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        await AssertStoredOnceTheStoreOpensAsync(server, store, spans, appendEntered: true);
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
    [InlineData("10s")]
    [InlineData("-1S")]
    [InlineData("1.5S")]
    public async Task Malformed_grpc_timeout_is_ignored_and_the_call_served_without_a_deadline(string header)
    {
        await using var server = await TestServer.StartAsync();
        var spans = TestSpans.Trace();

        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame(OtlpProtobufEncoder.EncodeExportRequest(spans)), grpcTimeout: header);

        Assert.Equal(Ok, call.Status);
        Assert.Equal(spans.Length, (await OtlpGrpcReceiverTests.Store(server).GetTraceAsync(spans[0].TraceId, TestContext.Timeout)).Count);
    }

    // The batch was queued before the deadline: it is stored once the store takes it. The queue is
    // stored in order, so a later export answered OK means the first one is in.
    private static async Task AssertStoredOnceTheStoreOpensAsync(Threadline.Server.Hosting.ThreadlineServer server, GatedStore store, Core.Model.Span[] spans, bool appendEntered = false)
    {
        if (!appendEntered) await store.AppendEnteredAsync().WaitAsync(TestContext.SignalTimeout);
        store.Open();
        var later = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame(OtlpProtobufEncoder.EncodeExportRequest(TestSpans.Trace())));
        Assert.Equal(Ok, later.Status);
        Assert.Equal(spans.Length, (await store.GetTraceAsync(spans[0].TraceId, TestContext.Timeout)).Count);
    }
}
