using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Threadline.Protocol.Otlp;
using Threadline.Server.Hosting;
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
    public async Task Otlp_http_posted_to_the_grpc_port_gets_the_guide_and_is_not_counted_as_grpc()
    {
        await using var server = await TestServer.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.OtlpGrpcEndpoint, "/v1/traces"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(OtlpProtobufEncoder.EncodeExportRequest(TestSpans.Trace())),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/x-protobuf");

        using var response = await TestContext.Http.SendAsync(request, TestContext.Timeout);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(TestContext.Timeout);
        Assert.Contains($"This port ({server.OtlpGrpcEndpoint.Port}) serves OTLP/gRPC (HTTP/2) traces at /opentelemetry.proto.collector.trace.v1.TraceService/Export", body, StringComparison.Ordinal);
        Assert.Contains($"Send OTLP/HTTP to :{server.OtlpHttpEndpoint.Port}/v1/traces", body, StringComparison.Ordinal);
        var metrics = await MetricsEndpointTests.ScrapeAsync(server.ApiEndpoint);
        Assert.Equal(1, metrics.Value("threadline_receiver_requests_total", ("protocol", "unknown"), ("outcome", "wrong_port")));
        Assert.Equal(0, metrics.Sum("threadline_receiver_requests_total", ("protocol", "otlp_grpc")));
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

/// <summary>The wrong-port log line is rate-limited, so a misconfigured fleet cannot flood the log.</summary>
public sealed class WrongPortLoggingTests
{
    [Fact]
    public async Task Many_misdirected_exports_log_one_line_and_every_one_is_counted()
    {
        var logs = new CapturingLoggerProvider();
        await using var server = await ThreadlineServer.StartAsync(TestServer.EphemeralOptions(),
            services => services.AddSingleton<ILoggerProvider>(logs), TestContext.Timeout);

        for (var i = 0; i < 5; i++)
        {
            using var response = await HttpTestClient.PostAsync(server.ApiEndpoint, "/v1/traces", [], "application/x-protobuf");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        var lines = logs.Messages(nameof(WrongPortResponder));
        var line = Assert.Single(lines);
        Assert.Contains($"POST /v1/traces arrived on port {server.ApiEndpoint.Port}", line, StringComparison.Ordinal);
        var metrics = await MetricsEndpointTests.ScrapeAsync(server.ApiEndpoint);
        Assert.Equal(5, metrics.Value("threadline_receiver_requests_total", ("protocol", "unknown"), ("outcome", "wrong_port")));
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<(string Category, string Message)> _messages = new();

        public IReadOnlyList<string> Messages(string categoryEndsWith) =>
            [.. _messages.Where(m => m.Category.EndsWith(categoryEndsWith, StringComparison.Ordinal)).Select(m => m.Message)];

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _messages);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<(string, string)> messages) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (IsEnabled(logLevel)) messages.Enqueue((category, formatter(state, exception)));
            }
        }
    }
}
