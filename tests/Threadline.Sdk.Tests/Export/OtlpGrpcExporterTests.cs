using System.Buffers.Binary;
using System.Diagnostics;
using Threadline.TestSupport.Otlp;
using Threadline.Sdk.Export;
using Threadline.Sdk.Export.Otlp;

namespace Threadline.Sdk.Tests.Export;

public sealed class OtlpGrpcExporterTests : IAsyncLifetime
{
    private static readonly ActivitySource Source = TestSpans.Source("grpc.exporter", "1.0.0");
    private ScriptedOtlpServer _server = null!;

    public async Task InitializeAsync() => _server = await ScriptedOtlpServer.StartAsync(grpc: true);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string StatusDetails(TimeSpan retryDelay, bool padded = true)
    {
        var text = Convert.ToBase64String(new CodedStatus(8, "slow down", CodedStatus.RetryInfo(retryDelay)).ToByteArray());
        return padded ? text : text.TrimEnd('=');
    }

    [Fact]
    public async Task Export_is_one_framed_unary_call_over_http2()
    {
        using var harness = ExporterHarness.Grpc(_server, o => o.Headers["authorization"] = "Bearer t");
        var batch = Enumerable.Range(0, 3).Select(i => TestSpans.Realistic(Source, i)).ToArray();

        Assert.Equal(ExportResult.Success, await harness.ExportAsync(batch));

        var request = Assert.Single(_server.Requests);
        Assert.Equal("HTTP/2", request.Protocol);
        Assert.Equal("/opentelemetry.proto.collector.trace.v1.TraceService/Export", request.Path);
        Assert.Equal("application/grpc", request.Header("Content-Type"));
        Assert.Equal("trailers", request.Header("TE"));
        Assert.Equal("Bearer t", request.Header("authorization"));
        Assert.EndsWith("m", request.Header("grpc-timeout"), StringComparison.Ordinal);
        Assert.Equal("", request.Header("grpc-encoding"));
        Assert.Equal(0, request.RawBody[0]);
        Assert.Equal(request.RawBody.Length - 5, (int)BinaryPrimitives.ReadUInt32BigEndian(request.RawBody.AsSpan(1)));
        Assert.Equal(ReferenceOtlp.Build(TestSpans.Resource, batch), request.Parse());
        Assert.Empty(harness.Diagnostics);
    }

    [Fact]
    public async Task Gzip_sets_the_compressed_flag_and_grpc_encoding()
    {
        using var harness = ExporterHarness.Grpc(_server, o => o.Compression = OtlpCompression.Gzip);
        var batch = Enumerable.Range(0, 20).Select(i => TestSpans.Realistic(Source, i)).ToArray();

        Assert.Equal(ExportResult.Success, await harness.ExportAsync(batch));

        var request = Assert.Single(_server.Requests);
        Assert.Equal("gzip", request.Header("grpc-encoding"));
        Assert.Equal(1, request.RawBody[0]);
        Assert.Equal(ReferenceOtlp.Build(TestSpans.Resource, batch), request.Parse());
    }

    [Fact]
    public async Task Partial_success_in_the_response_message_is_reported()
    {
        _server.Enqueue(ScriptedOtlpServer.Grpc.Ok(new ExportTraceServiceResponse { PartialSuccess = new() { RejectedSpans = 1, ErrorMessage = "empty name" } }));
        using var harness = ExporterHarness.Grpc(_server);

        Assert.Equal(ExportResult.Success, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));

        var diagnostic = harness.Single(OtlpDiagnosticKind.PartialSuccess);
        Assert.Equal(1, diagnostic.RejectedSpans);
        Assert.Equal(0, diagnostic.GrpcStatusCode);
        Assert.Contains("empty name", diagnostic.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Resource_exhausted_with_retry_info_is_retried_after_that_delay(bool padded)
    {
        _server.Enqueue(ScriptedOtlpServer.Grpc.Error(8, "slow down", StatusDetails(TimeSpan.FromMilliseconds(2500), padded)), ScriptedOtlpServer.Grpc.Ok());
        using var harness = ExporterHarness.Grpc(_server);

        Assert.Equal(ExportResult.Success, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));

        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal([TimeSpan.FromMilliseconds(2500)], harness.Delay.Delays);
        var retry = harness.Single(OtlpDiagnosticKind.RetryScheduled);
        Assert.Equal(8, retry.GrpcStatusCode);
        Assert.Contains("RESOURCE_EXHAUSTED (8): slow down", retry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resource_exhausted_without_retry_info_is_not_retried()
    {
        _server.Enqueue(ScriptedOtlpServer.Grpc.Error(8, "message larger than max"));
        using var harness = ExporterHarness.Grpc(_server);

        Assert.Equal(ExportResult.Failure, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));

        Assert.Single(_server.Requests);
        Assert.Empty(harness.Delay.Delays);
        Assert.Contains("message larger than max", harness.Single(OtlpDiagnosticKind.ExportFailed).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unavailable_is_retried_with_backoff()
    {
        _server.Enqueue(ScriptedOtlpServer.Grpc.Error(14, "draining"), ScriptedOtlpServer.Grpc.Ok());
        using var harness = ExporterHarness.Grpc(_server);

        Assert.Equal(ExportResult.Success, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));

        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(1)], harness.Delay.Delays);
    }

    [Fact]
    public async Task Trailers_only_answer_carries_the_status_in_headers()
    {
        _server.Enqueue(ScriptedOtlpServer.Grpc.TrailersOnly(14, "no backends"), ScriptedOtlpServer.Grpc.Ok());
        using var harness = ExporterHarness.Grpc(_server);

        Assert.Equal(ExportResult.Success, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));

        Assert.Equal(2, _server.Requests.Count);
        Assert.Contains("UNAVAILABLE (14): no backends", harness.Single(OtlpDiagnosticKind.RetryScheduled).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retry_info_sets_the_delay_of_other_retryable_codes_too()
    {
        var details = Convert.ToBase64String(new CodedStatus(14, "later", CodedStatus.RetryInfo(TimeSpan.FromSeconds(4))).ToByteArray());
        _server.Enqueue(ScriptedOtlpServer.Grpc.Error(14, "later", details), ScriptedOtlpServer.Grpc.Ok());
        using var harness = ExporterHarness.Grpc(_server);

        Assert.Equal(ExportResult.Success, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));
        Assert.Equal([TimeSpan.FromSeconds(4)], harness.Delay.Delays);
    }

    [Fact]
    public async Task Invalid_argument_is_not_retried()
    {
        _server.Enqueue(ScriptedOtlpServer.Grpc.Error(3, "span_id must be 8 bytes"));
        using var harness = ExporterHarness.Grpc(_server);

        Assert.Equal(ExportResult.Failure, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));

        Assert.Single(_server.Requests);
        var failure = harness.Single(OtlpDiagnosticKind.ExportFailed);
        Assert.Equal(3, failure.GrpcStatusCode);
        Assert.Contains("INVALID_ARGUMENT (3): span_id must be 8 bytes", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(14)]
    [InlineData(15)]
    public async Task Retryable_codes_are_retried(int code)
    {
        _server.Enqueue(ScriptedOtlpServer.Grpc.Error(code), ScriptedOtlpServer.Grpc.Ok());
        using var harness = ExporterHarness.Grpc(_server);

        Assert.Equal(ExportResult.Success, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));
        Assert.Equal(2, _server.Requests.Count);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(9)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(16)]
    public async Task Other_codes_are_not_retried(int code)
    {
        _server.Enqueue(ScriptedOtlpServer.Grpc.Error(code));
        using var harness = ExporterHarness.Grpc(_server);

        Assert.Equal(ExportResult.Failure, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Http_503_without_grpc_status_is_unavailable_and_retried()
    {
        _server.Enqueue(ExporterHarness.Respond(503), ScriptedOtlpServer.Grpc.Ok());
        using var harness = ExporterHarness.Grpc(_server);

        Assert.Equal(ExportResult.Success, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));

        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal(14, harness.Single(OtlpDiagnosticKind.RetryScheduled).GrpcStatusCode);
    }

    [Fact]
    public async Task Answer_without_any_grpc_status_is_a_failure()
    {
        _server.Enqueue(ExporterHarness.Respond(200));
        using var harness = ExporterHarness.Grpc(_server);

        Assert.Equal(ExportResult.Failure, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));
        Assert.Contains("no grpc-status", harness.Single(OtlpDiagnosticKind.ExportFailed).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_streams_are_retried_up_to_max_attempts()
    {
        for (var i = 0; i < 3; i++) _server.Enqueue(context => { context.Abort(); return Task.CompletedTask; });
        using var harness = ExporterHarness.Grpc(_server, o => o.Retry.MaxAttempts = 3);

        Assert.Equal(ExportResult.Failure, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));

        Assert.Equal(3, _server.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.5)], harness.Delay.Delays);
    }

    [Fact]
    public async Task Server_that_never_answers_fails_at_the_export_timeout()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Enqueue(async context => await release.Task.WaitAsync(context.RequestAborted));
        using var harness = ExporterHarness.Grpc(_server, o => o.Timeout = TimeSpan.FromMilliseconds(300));

        var result = await harness.ExportAsync(TestSpans.Realistic(Source, 1));
        release.TrySetResult();

        Assert.Equal(ExportResult.Failure, result);
        Assert.Single(_server.Requests);
        Assert.Empty(harness.Delay.Delays);
        Assert.Contains("no answer", harness.Single(OtlpDiagnosticKind.ExportFailed).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, "1m")]
    [InlineData(10_000, "10000m")]
    [InlineData(99_999_999, "99999999m")]
    [InlineData(100_000_000, "100000S")]
    public void Grpc_timeout_header_has_at_most_eight_digits(long milliseconds, string expected)
    {
        Assert.Equal(expected, Threadline.Sdk.Export.Otlp.Transport.OtlpGrpcTransport.FormatTimeout(TimeSpan.FromMilliseconds(milliseconds)));
    }
}
