using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Threadline.Sdk.Export;
using Threadline.Sdk.Export.Otlp;
using Threadline.Sdk.Export.Otlp.Transport;

namespace Threadline.Sdk.Tests.Export;

/// <summary>
/// The mistakes a first run makes (the wrong port for the protocol, a host that does not resolve,
/// nothing listening), against real listeners: answers no retry can fix stop at once, and every
/// failure says what to check.
/// </summary>
public sealed class WrongDestinationTests
{
    private static readonly ActivitySource Source = TestSpans.Source("wrong.destination");

    [Fact]
    public async Task Grpc_sent_to_an_http1_port_stops_without_retrying_and_says_which_port_and_protocol_to_use()
    {
        // A real Kestrel HTTP/1.1 listener, as on Threadline's 4318 and 16686: it answers the HTTP/2
        // preface with HTTP_1_1_REQUIRED.
        await using var http1 = await ScriptedOtlpServer.StartAsync(grpc: false);
        using var harness = new ExporterHarness(new OtlpExporterOptions
        {
            Protocol = OtlpExportProtocol.Grpc,
            Endpoint = http1.BaseAddress,
            Retry = { MaxAttempts = 10 },
        });

        Assert.Equal(ExportResult.Failure, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));

        // Kestrel may close before the client reads its GOAWAY, which looks like a dropped connection
        // and is retried; the next attempt reads it. Without the rule, all ten attempts are made.
        Assert.True(harness.Delay.Delays.Count < 3, $"{harness.Delay.Delays.Count} retries");
        var failure = harness.Single(OtlpDiagnosticKind.ExportFailed);
        Assert.Contains("HTTP_1_1_REQUIRED", failure.Message, StringComparison.Ordinal);
        Assert.Contains("without retrying", failure.Message, StringComparison.Ordinal);
        Assert.Contains("speaks HTTP/1.1", failure.Advice, StringComparison.Ordinal);
        Assert.Contains("use port 4317 for grpc, or set OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf", failure.Advice, StringComparison.Ordinal);
        Assert.EndsWith(failure.Advice!, failure.Message, StringComparison.Ordinal);
        Assert.Empty(http1.Requests);
    }

    [Fact]
    public async Task Http_protobuf_sent_to_a_grpc_port_stops_at_once_and_suggests_grpc()
    {
        await using var http2Only = await ScriptedOtlpServer.StartAsync(grpc: true);
        using var harness = new ExporterHarness(new OtlpExporterOptions
        {
            Protocol = OtlpExportProtocol.HttpProtobuf,
            Endpoint = new Uri(http2Only.BaseAddress, "/v1/traces"),
        });

        Assert.Equal(ExportResult.Failure, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));

        Assert.Empty(harness.Delay.Delays);
        var failure = harness.Single(OtlpDiagnosticKind.ExportFailed);
        Assert.Equal(400, failure.HttpStatusCode);
        Assert.Contains("takes only HTTP/2 (gRPC)", failure.Advice, StringComparison.Ordinal);
        Assert.Contains("set OTEL_EXPORTER_OTLP_PROTOCOL=grpc", failure.Advice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_listening_is_retried_and_says_to_check_that_the_collector_runs_on_that_port()
    {
        using var harness = new ExporterHarness(new OtlpExporterOptions
        {
            Protocol = OtlpExportProtocol.Grpc,
            Endpoint = new Uri($"http://127.0.0.1:{FreePort()}"),
            Retry = { MaxAttempts = 2 },
        });

        Assert.Equal(ExportResult.Failure, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));

        Assert.Single(harness.Delay.Delays);
        var retry = harness.Single(OtlpDiagnosticKind.RetryScheduled);
        Assert.Contains("nothing accepted a connection on 127.0.0.1:", retry.Advice, StringComparison.Ordinal);
        Assert.Contains("gave up after 2 attempt(s)", harness.Single(OtlpDiagnosticKind.ExportFailed).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_that_does_not_resolve_says_to_check_the_host_name()
    {
        // .invalid never resolves (RFC 6761).
        using var harness = new ExporterHarness(new OtlpExporterOptions
        {
            Protocol = OtlpExportProtocol.Grpc,
            Endpoint = new Uri("http://collector.invalid:4317"),
            Retry = { MaxAttempts = 1 },
        });

        Assert.Equal(ExportResult.Failure, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));

        Assert.Contains("the host name 'collector.invalid' could not be resolved", harness.Single(OtlpDiagnosticKind.ExportFailed).Advice, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(400, "could not read the request")]
    [InlineData(401, "OTEL_EXPORTER_OTLP_HEADERS")]
    [InlineData(403, "OTEL_EXPORTER_OTLP_HEADERS")]
    [InlineData(404, "an OTLP/HTTP receiver takes POST /v1/traces")]
    [InlineData(405, "does not take POST")]
    [InlineData(413, "OTEL_BSP_MAX_EXPORT_BATCH_SIZE")]
    [InlineData(415, "does not take application/x-protobuf")]
    public async Task Http_answers_no_retry_can_fix_stop_at_once_with_what_to_check(int status, string advice)
    {
        await using var server = await ScriptedOtlpServer.StartAsync(grpc: false);
        server.Enqueue(ExporterHarness.Respond(status, Encoding.UTF8.GetBytes("no"), "text/plain"));
        using var harness = ExporterHarness.Http(server);

        Assert.Equal(ExportResult.Failure, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));

        Assert.Single(server.Requests);
        Assert.Empty(harness.Delay.Delays);
        Assert.Contains(advice, harness.Single(OtlpDiagnosticKind.ExportFailed).Advice, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(404)]
    [InlineData(405)]
    [InlineData(415)]
    public async Task Grpc_answered_with_plain_http_stops_at_once_and_says_it_is_not_a_grpc_receiver(int status)
    {
        await using var server = await ScriptedOtlpServer.StartAsync(grpc: true);
        server.Enqueue(ExporterHarness.Respond(status));
        using var harness = ExporterHarness.Grpc(server);

        Assert.Equal(ExportResult.Failure, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));

        Assert.Single(server.Requests);
        Assert.Empty(harness.Delay.Delays);
        var advice = harness.Single(OtlpDiagnosticKind.ExportFailed).Advice;
        Assert.Contains($"answered plain HTTP {status}, so it is not an OTLP/gRPC receiver", advice, StringComparison.Ordinal);
        Assert.Contains("OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf", advice, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grpc_unauthenticated_says_to_set_the_headers()
    {
        await using var server = await ScriptedOtlpServer.StartAsync(grpc: true);
        server.Enqueue(ScriptedOtlpServer.Grpc.Error(16, "missing api key"));
        using var harness = ExporterHarness.Grpc(server);

        Assert.Equal(ExportResult.Failure, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));

        Assert.Empty(harness.Delay.Delays);
        Assert.Contains("OTEL_EXPORTER_OTLP_HEADERS", harness.Single(OtlpDiagnosticKind.ExportFailed).Advice, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://collector:4318", "4318 is the OTLP/HTTP port, which takes http/protobuf")]
    [InlineData("http://collector:16686", "16686 is Threadline's UI and query API port, not a receiver")]
    public void Well_known_ports_used_for_grpc_are_named_in_the_advice(string endpoint, string role)
    {
        var advice = ExportAdvice.GrpcToHttp1Server(new Uri(endpoint));
        Assert.Contains(role, advice, StringComparison.Ordinal);
        Assert.Contains("use port 4317 for grpc, or set OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf", advice, StringComparison.Ordinal);
    }

    [Fact]
    public void The_grpc_port_used_for_http_is_named_in_the_advice()
    {
        var advice = ExportAdvice.HttpToGrpcServer(new Uri("http://collector:4317/v1/traces"));
        Assert.Contains("4317 is the OTLP/gRPC port", advice, StringComparison.Ordinal);
        Assert.Contains("use port 4318 for http/protobuf", advice, StringComparison.Ordinal);
    }

    internal static int FreePort()
    {
        // A port that was just free: connecting is refused.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
