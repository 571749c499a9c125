using Threadline.Protocol.Otlp;
using Threadline.Server.Hosting;
using Threadline.Server.Options;
using Threadline.Server.Tests.Infrastructure;
using Threadline.Storage;
using Threadline.Testing;

namespace Threadline.Server.Tests.Receivers;

/// <summary>The experimental Grpc.AspNetCore receiver (Receivers:GrpcImplementation=aspnetcore), kept for load comparisons.</summary>
public sealed class AspNetCoreGrpcReceiverTests
{
    private const int Ok = 0;
    private const int InvalidArgument = 3;
    private const int ResourceExhausted = 8;

    private static Task<ThreadlineServer> StartAsync(Action<ThreadlineOptions>? configure = null, ITraceStore? store = null) =>
        TestServer.StartAsync(options =>
        {
            options.Receivers.GrpcImplementation = ReceiverOptions.AspNetCoreGrpc;
            configure?.Invoke(options);
        }, store);

    [Fact]
    public async Task Export_is_decoded_from_the_passed_through_bytes_and_stored()
    {
        await using var server = await StartAsync();
        var spans = TestSpans.Trace();

        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame(OtlpProtobufEncoder.EncodeExportRequest(spans)));

        Assert.Equal(Ok, call.Status);
        var store = (ITraceStore)server.Services.GetService(typeof(ITraceStore))!;
        Assert.Equal(2, (await store.GetTraceAsync(spans[0].TraceId, TestContext.Timeout)).Count);
    }

    [Fact]
    public async Task Malformed_protobuf_is_invalid_argument_with_the_decoders_message()
    {
        await using var server = await StartAsync();

        var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame([0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]));

        Assert.Equal(InvalidArgument, call.Status);
        Assert.Contains("byte offset", call.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Queue_full_is_resource_exhausted_with_retry_info()
    {
        var store = new GatedStore();
        await using var server = await StartAsync(o => o.Ingest.MaxQueuedSpans = 1, store);
        var first = GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame(OtlpProtobufEncoder.EncodeExportRequest(TestSpans.Trace()[..1])));
        await store.AppendEnteredAsync().WaitAsync(TestContext.SignalTimeout);

        var refused = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame(OtlpProtobufEncoder.EncodeExportRequest(TestSpans.Trace()[..1])));

        Assert.Equal(ResourceExhausted, refused.Status);
        var status = ProtoReader.Fields(refused.StatusDetails);
        var any = ProtoReader.Fields(status.Single(f => f.Number == 3).Bytes);
        Assert.Equal("type.googleapis.com/google.rpc.RetryInfo", any.Single(f => f.Number == 1).Text);

        store.Open();
        Assert.Equal(Ok, (await first).Status);
    }
}
