using System.Collections.Concurrent;
using System.Net;
using Threadline.Protocol.Otlp;
using Threadline.Protocol.Zipkin;
using Threadline.Server.Hosting;
using Threadline.Server.Tests.Infrastructure;
using Threadline.Storage;
using Threadline.Testing;

namespace Threadline.Server.Tests.Receivers;

/// <summary>
/// Mutated bodies through the real receivers: however broken a body is, the answer is a success
/// or a refusal the client can act on (4xx, or a gRPC status other than INTERNAL or UNKNOWN),
/// never a 5xx from an exception; and a valid export afterwards is stored as usual. Seeds are
/// fixed, so a failure names the seed and the body.
/// </summary>
public sealed class MutatedBodyTests
{
    private const int BodiesPerReceiver = 2_500;
    private const int Concurrency = 4;

    [Fact]
    public async Task Otlp_http_protobuf_answers_every_mutated_body_without_a_server_error()
    {
        await using var server = await TestServer.StartAsync();

        await AssertNoServerErrorsAsync(FuzzCorpus.OtlpProtobuf, firstSeed: 10_000_000, async body =>
        {
            using var response = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", body, "application/x-protobuf");
            return ((int)response.StatusCode, null);
        });

        var spans = TestSpans.Trace();
        using var valid = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", OtlpProtobufEncoder.EncodeExportRequest(spans), "application/x-protobuf");
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        await AssertStoredAsync(server, spans);
    }

    [Fact]
    public async Task Otlp_http_json_answers_every_mutated_body_without_a_server_error()
    {
        await using var server = await TestServer.StartAsync();

        await AssertNoServerErrorsAsync(FuzzCorpus.OtlpJson, firstSeed: 20_000_000, async body =>
        {
            using var response = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", body, "application/json");
            return ((int)response.StatusCode, null);
        });

        var spans = TestSpans.Trace();
        using var valid = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", OtlpJsonEncoder.EncodeExportRequest(spans), "application/json");
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        await AssertStoredAsync(server, spans);
    }

    [Fact]
    public async Task Zipkin_answers_every_mutated_body_without_a_server_error()
    {
        await using var server = await TestServer.StartAsync();

        await AssertNoServerErrorsAsync(FuzzCorpus.Zipkin, firstSeed: 30_000_000, async body =>
        {
            using var response = await HttpTestClient.PostAsync(server.ZipkinEndpoint, "/api/v2/spans", body, "application/json");
            return ((int)response.StatusCode, null);
        });

        var spans = TestSpans.Trace();
        using var valid = await HttpTestClient.PostAsync(server.ZipkinEndpoint, "/api/v2/spans", ZipkinJsonEncoder.Encode(spans), "application/json");
        Assert.Equal(HttpStatusCode.Accepted, valid.StatusCode);
        await AssertStoredAsync(server, spans);
    }

    [Fact]
    public async Task Otlp_grpc_answers_every_mutated_message_without_internal_or_unknown()
    {
        const int Unknown = 2, Internal = 13;
        await using var server = await TestServer.StartAsync();

        await AssertNoServerErrorsAsync(FuzzCorpus.OtlpProtobuf, firstSeed: 40_000_000, async body =>
        {
            var call = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame(body));
            return ((int)call.HttpStatus, call.Status is Unknown or Internal or null ? $"grpc-status {call.Status?.ToString() ?? "missing"}: {call.Message}" : null);
        });

        var spans = TestSpans.Trace();
        var valid = await GrpcTestClient.CallAsync(server.OtlpGrpcEndpoint, GrpcTestClient.Frame(OtlpProtobufEncoder.EncodeExportRequest(spans)));
        Assert.Equal(0, valid.Status);
        await AssertStoredAsync(server, spans);
    }

    /// <param name="send">Sends one body; returns the HTTP status and, for gRPC, what is wrong with the answer (or null).</param>
    private static async Task AssertNoServerErrorsAsync(IReadOnlyList<byte[]> corpus, int firstSeed, Func<byte[], Task<(int Status, string? Problem)>> send)
    {
        var failures = new ConcurrentQueue<string>();
        var answered = 0;
        await Parallel.ForEachAsync(Enumerable.Range(firstSeed, BodiesPerReceiver), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (seed, _) =>
        {
            var body = BodyMutator.Mutate(corpus, seed);
            var (status, problem) = await send(body);
            if (status >= 500) problem = $"HTTP {status}";
            if (problem is not null && failures.Count < 5) failures.Enqueue($"seed {seed}: {problem}\n  body (base64): {BodyMutator.Show(body)}");
            Interlocked.Increment(ref answered);
        });
        Assert.True(failures.IsEmpty, string.Join("\n", failures));
        Assert.Equal(BodiesPerReceiver, answered);
    }

    private static async Task AssertStoredAsync(ThreadlineServer server, Core.Model.Span[] spans)
    {
        var store = (ITraceStore)server.Services.GetService(typeof(ITraceStore))!;
        Assert.Equal(spans.Length, (await store.GetTraceAsync(spans[0].TraceId, TestContext.Timeout)).Count);
    }
}
