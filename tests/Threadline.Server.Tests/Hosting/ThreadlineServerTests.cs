using System.Net;
using Microsoft.Extensions.Options;
using Threadline.Protocol.Otlp;
using Threadline.Server.Hosting;
using Threadline.Server.Tests.Infrastructure;
using Threadline.Testing;

namespace Threadline.Server.Tests.Hosting;

public sealed class ThreadlineServerTests
{
    [Fact]
    public async Task Ephemeral_ports_are_bound_and_reported_as_distinct_loopback_endpoints()
    {
        await using var server = await TestServer.StartAsync();

        Uri[] endpoints = [server.OtlpGrpcEndpoint, server.OtlpHttpEndpoint, server.ZipkinEndpoint, server.ApiEndpoint];
        Assert.All(endpoints, e => Assert.Equal("127.0.0.1", e.Host));
        Assert.All(endpoints, e => Assert.NotEqual(0, e.Port));
        Assert.Equal(4, endpoints.Select(e => e.Port).Distinct().Count());
    }

    [Fact]
    public async Task Health_and_readiness_answer_on_every_http_port()
    {
        await using var server = await TestServer.StartAsync();

        foreach (var endpoint in new[] { server.OtlpHttpEndpoint, server.ZipkinEndpoint, server.ApiEndpoint })
        {
            using var health = await HttpTestClient.GetAsync(endpoint, "/healthz");
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal("ok", await health.Content.ReadAsStringAsync());
            using var ready = await HttpTestClient.GetAsync(endpoint, "/readyz");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }
    }

    [Fact]
    public async Task Health_answers_on_the_grpc_port_over_http2()
    {
        await using var server = await TestServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.OtlpGrpcEndpoint, "/healthz"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var response = await TestContext.Http.SendAsync(request, TestContext.Timeout);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Api_routes_answer_only_on_the_api_port()
    {
        await using var server = await TestServer.StartAsync();

        using var response = await HttpTestClient.GetAsync(server.OtlpHttpEndpoint, "/api/v1/services");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Invalid_options_are_refused_before_anything_listens()
    {
        var options = TestServer.EphemeralOptions();
        options.Receivers.OtlpGrpcPort = 70000;

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => ThreadlineServer.StartAsync(options));

        Assert.Contains("Threadline:Receivers:OtlpGrpcPort must be 0-65535 (0 picks a free port), got 70000.", error.Failures);
    }

    [Fact]
    public async Task A_port_in_use_fails_start_with_an_io_exception()
    {
        await using var first = await TestServer.StartAsync();
        var options = TestServer.EphemeralOptions();
        options.Api.Port = first.ApiEndpoint.Port;

        await Assert.ThrowsAnyAsync<IOException>(() => ThreadlineServer.StartAsync(options));
    }

    [Fact]
    public async Task Stop_drains_the_queue_into_the_store_before_returning()
    {
        var store = new GatedStore();
        var server = await TestServer.StartAsync(store: store);
        var spans = TestSpans.Trace();
        var export = HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", OtlpProtobufEncoder.EncodeExportRequest(spans), "application/x-protobuf");
        await store.AppendEnteredAsync().WaitAsync(TestContext.SignalTimeout);

        var readiness = (ServerReadiness)server.Services.GetService(typeof(ServerReadiness))!;
        var stopping = server.StopAsync(TestContext.Timeout);
        Assert.Equal(ReadinessState.Stopping, readiness.State);
        Assert.False(stopping.IsCompleted);

        store.Open();
        await stopping;
        using var response = await export;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (await store.GetTraceAsync(spans[0].TraceId, TestContext.Timeout)).Count);
        await server.DisposeAsync();
    }
}
