using System.Net;
using System.Text;
using Threadline.Server.Hosting;
using Threadline.Server.Tests.Infrastructure;
using Threadline.Storage;
using Threadline.Testing;

namespace Threadline.Server.Tests.Receivers;

public sealed class ZipkinReceiverTests
{
    private const string Json = "application/json";

    private static byte[] Spans(string traceId, params string[] spanIds) => Encoding.UTF8.GetBytes("[" + string.Join(",", spanIds.Select(id =>
        $$$"""{"traceId":"{{{traceId}}}","id":"{{{id}}}","name":"get /api","kind":"SERVER","timestamp":1700000000000000,"duration":1500,"localEndpoint":{"serviceName":"frontend"}}""")) + "]");

    [Fact]
    public async Task Span_list_is_stored_and_answered_with_202()
    {
        await using var server = await TestServer.StartAsync();
        var traceId = TestSpans.NewTraceId();

        using var response = await HttpTestClient.PostAsync(server.ZipkinEndpoint, "/api/v2/spans", Spans(traceId.ToString(), "a000000000000001", "a000000000000002"), Json);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var stored = await Store(server).GetTraceAsync(traceId, TestContext.Timeout);
        Assert.Equal(2, stored.Count);
        Assert.All(stored, span => Assert.Equal("frontend", span.ServiceName));
    }

    [Fact]
    public async Task Gzip_body_is_inflated()
    {
        await using var server = await TestServer.StartAsync();
        var traceId = TestSpans.NewTraceId();

        using var response = await HttpTestClient.PostAsync(server.ZipkinEndpoint, "/api/v2/spans", Gzip.Compress(Spans(traceId.ToString(), "a000000000000001")), Json, "gzip");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single(await Store(server).GetTraceAsync(traceId, TestContext.Timeout));
    }

    [Fact]
    public async Task Partly_invalid_list_is_accepted_and_the_rejections_counted()
    {
        await using var server = await TestServer.StartAsync();
        var traceId = TestSpans.NewTraceId();

        using var response = await HttpTestClient.PostAsync(server.ZipkinEndpoint, "/api/v2/spans", Spans(traceId.ToString(), "a000000000000001", "not-hex"), Json);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single(await Store(server).GetTraceAsync(traceId, TestContext.Timeout));
        using var status = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/v1/status");
        Assert.Equal(1, (await HttpTestClient.JsonAsync(status)).GetProperty("receivers").GetProperty("invalidSpans").GetInt64());
    }

    [Fact]
    public async Task Wholly_invalid_list_is_400()
    {
        await using var server = await TestServer.StartAsync();

        using var response = await HttpTestClient.PostAsync(server.ZipkinEndpoint, "/api/v2/spans", Spans("zz", "not-hex"), Json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("rejected", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_json_is_400_with_a_message()
    {
        await using var server = await TestServer.StartAsync();

        using var response = await HttpTestClient.PostAsync(server.ZipkinEndpoint, "/api/v2/spans", "[{\"traceId\":"u8.ToArray(), Json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Zipkin v2 JSON", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Protobuf_content_type_is_415()
    {
        await using var server = await TestServer.StartAsync();

        using var response = await HttpTestClient.PostAsync(server.ZipkinEndpoint, "/api/v2/spans", [1, 2, 3], "application/x-protobuf");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Fact]
    public async Task Body_over_the_limit_is_413()
    {
        await using var server = await TestServer.StartAsync(o => o.Receivers.MaxRequestBodyBytes = 1024);
        var spans = Spans(TestSpans.NewTraceId().ToString(), Enumerable.Range(1, 50).Select(i => $"a{i:x15}").ToArray());

        using var response = await HttpTestClient.PostAsync(server.ZipkinEndpoint, "/api/v2/spans", spans, Json);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Gzip_bomb_is_413()
    {
        await using var server = await TestServer.StartAsync();

        using var response = await HttpTestClient.PostAsync(server.ZipkinEndpoint, "/api/v2/spans", Gzip.Bomb, Json, "gzip");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Malformed_gzip_is_400()
    {
        await using var server = await TestServer.StartAsync();

        using var response = await HttpTestClient.PostAsync(server.ZipkinEndpoint, "/api/v2/spans", "plain text"u8.ToArray(), Json, "gzip");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Queue_full_is_429_with_retry_after()
    {
        var store = new GatedStore();
        await using var server = await TestServer.StartAsync(o => o.Ingest.MaxQueuedSpans = 1, store);
        var first = HttpTestClient.PostAsync(server.ZipkinEndpoint, "/api/v2/spans", Spans(TestSpans.NewTraceId().ToString(), "a000000000000001"), Json);
        await store.AppendEnteredAsync().WaitAsync(TestContext.SignalTimeout);

        using (var refused = await HttpTestClient.PostAsync(server.ZipkinEndpoint, "/api/v2/spans", Spans(TestSpans.NewTraceId().ToString(), "a000000000000002"), Json))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        }

        store.Open();
        using var accepted = await first;
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
    }

    [Fact]
    public async Task Store_failure_is_503_with_retry_after()
    {
        await using var server = await TestServer.StartAsync(store: new GatedStore(gateOpen: true) { Failure = new IOException("No space left on device (test).") });

        using var response = await HttpTestClient.PostAsync(server.ZipkinEndpoint, "/api/v2/spans", Spans(TestSpans.NewTraceId().ToString(), "a000000000000001"), Json);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    private static ITraceStore Store(ThreadlineServer server) => (ITraceStore)server.Services.GetService(typeof(ITraceStore))!;
}
