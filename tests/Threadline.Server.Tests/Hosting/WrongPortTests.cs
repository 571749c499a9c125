using System.Net;
using Threadline.Protocol.Otlp;
using Threadline.Server.Tests.Infrastructure;
using Threadline.Server.Tests.Metrics;

namespace Threadline.Server.Tests.Hosting;

/// <summary>Spans sent to the wrong port or path get a 404 that says where they belong, and are counted.</summary>
public sealed class WrongPortTests
{
    public enum Port { Api, OtlpHttp, Zipkin }

    [Theory]
    [InlineData(Port.Api, "/v1/traces")]
    [InlineData(Port.Zipkin, "/v1/traces")]
    [InlineData(Port.OtlpHttp, "/api/v2/spans")]
    [InlineData(Port.Api, "/api/v2/spans")]
    [InlineData(Port.OtlpHttp, "/v1/logs")]
    public async Task Spans_posted_to_the_wrong_port_get_a_guide_and_are_counted(Port port, string path)
    {
        await using var server = await TestServer.StartAsync();
        var endpoint = port switch
        {
            Port.Api => server.ApiEndpoint,
            Port.OtlpHttp => server.OtlpHttpEndpoint,
            _ => server.ZipkinEndpoint,
        };

        using var response = await HttpTestClient.PostAsync(endpoint, path, OtlpProtobufEncoder.EncodeExportRequest(TestSpans.Trace()), "application/x-protobuf");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(TestContext.Timeout);
        Assert.Contains($"This port ({endpoint.Port})", body, StringComparison.Ordinal);
        Assert.Contains($"Send OTLP/HTTP to :{server.OtlpHttpEndpoint.Port}/v1/traces", body, StringComparison.Ordinal);
        Assert.Contains($"OTLP/gRPC to :{server.OtlpGrpcEndpoint.Port}", body, StringComparison.Ordinal);
        Assert.Contains($"Zipkin to :{server.ZipkinEndpoint.Port}/api/v2/spans", body, StringComparison.Ordinal);
        Assert.Contains($"the query API and /metrics are on :{server.ApiEndpoint.Port}", body, StringComparison.Ordinal);

        var metrics = await MetricsEndpointTests.ScrapeAsync(server.ApiEndpoint);
        Assert.Equal(1, metrics.Value("threadline_receiver_requests_total", ("protocol", "unknown"), ("outcome", "wrong_port")));
        Assert.Equal(0, metrics.Sum("threadline_store_spans_total"));
    }

    [Fact]
    public async Task The_guide_names_what_the_port_serves()
    {
        await using var server = await TestServer.StartAsync();

        using var api = await HttpTestClient.PostAsync(server.ApiEndpoint, "/v1/traces", [], "application/x-protobuf");
        using var zipkin = await HttpTestClient.PostAsync(server.ZipkinEndpoint, "/v1/traces", [], "application/x-protobuf");

        Assert.Contains("serves the query API", await api.Content.ReadAsStringAsync(TestContext.Timeout), StringComparison.Ordinal);
        Assert.Contains("serves Zipkin v2 spans at POST /api/v2/spans", await zipkin.Content.ReadAsStringAsync(TestContext.Timeout), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_get_of_an_unknown_path_gets_the_guide_but_is_not_counted_as_an_export()
    {
        await using var server = await TestServer.StartAsync();

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, "/favicon.ico");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Nothing here answers GET /favicon.ico", await response.Content.ReadAsStringAsync(TestContext.Timeout), StringComparison.Ordinal);
        var metrics = await MetricsEndpointTests.ScrapeAsync(server.ApiEndpoint);
        Assert.Equal(0, metrics.Sum("threadline_receiver_requests_total", ("outcome", "wrong_port")));
    }
}
