using System.Diagnostics;
using System.Text;
using Google.Protobuf;
using Threadline.TestSupport.Otlp;
using Threadline.Sdk.Export;
using Threadline.Sdk.Export.Otlp;

namespace Threadline.Sdk.Tests.Export;

public sealed class OtlpHttpExporterTests : IAsyncLifetime
{
    private static readonly ActivitySource Source = TestSpans.Source("http.exporter", "1.0.0");
    private ScriptedOtlpServer _server = null!;

    public async Task InitializeAsync() => _server = await ScriptedOtlpServer.StartAsync(grpc: false);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static byte[] PartialSuccess(long rejected, string message) =>
        new ExportTraceServiceResponse { PartialSuccess = new ExportTracePartialSuccess { RejectedSpans = rejected, ErrorMessage = message } }.ToByteArray();

    [Fact]
    public async Task Export_posts_protobuf_with_content_type_user_agent_and_configured_headers()
    {
        using var harness = ExporterHarness.Http(_server, configure: o => o.Headers["x-api-key"] = "secret");
        var activity = TestSpans.Realistic(Source, 1);

        Assert.Equal(ExportResult.Success, await harness.ExportAsync(activity));

        var request = Assert.Single(_server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/v1/traces", request.Path);
        Assert.Equal("application/x-protobuf", request.Header("Content-Type"));
        Assert.Equal("secret", request.Header("x-api-key"));
        Assert.StartsWith("Threadline-Sdk-dotnet/", request.Header("User-Agent"), StringComparison.Ordinal);
        Assert.Equal("", request.Header("Content-Encoding"));
        Assert.Equal(ReferenceOtlp.Build(TestSpans.Resource, [activity]), request.Parse());
        Assert.Empty(harness.Diagnostics);
    }

    [Fact]
    public async Task Json_protocol_posts_the_json_mapping()
    {
        using var harness = ExporterHarness.Http(_server, OtlpExportProtocol.HttpJson);
        var activity = TestSpans.Realistic(Source, 2);

        Assert.Equal(ExportResult.Success, await harness.ExportAsync(activity));

        var request = Assert.Single(_server.Requests);
        Assert.Equal("application/json", request.Header("Content-Type"));
        using var json = System.Text.Json.JsonDocument.Parse(request.Message);
        var span = json.RootElement.GetProperty("resourceSpans")[0].GetProperty("scopeSpans")[0].GetProperty("spans")[0];
        Assert.Equal(activity.TraceId.ToHexString(), span.GetProperty("traceId").GetString());
    }

    [Theory]
    [InlineData(OtlpExportProtocol.HttpProtobuf)]
    [InlineData(OtlpExportProtocol.HttpJson)]
    public async Task Gzip_body_decodes_on_the_server(OtlpExportProtocol protocol)
    {
        using var harness = ExporterHarness.Http(_server, protocol, o => o.Compression = OtlpCompression.Gzip);
        var batch = Enumerable.Range(0, 20).Select(i => TestSpans.Realistic(Source, i)).ToArray();

        Assert.Equal(ExportResult.Success, await harness.ExportAsync(batch));

        var request = Assert.Single(_server.Requests);
        Assert.Equal("gzip", request.Header("Content-Encoding"));
        Assert.True(request.RawBody.Length < request.Message.Length / 2, "gzip should shrink a repetitive payload");
        if (protocol == OtlpExportProtocol.HttpProtobuf) Assert.Equal(ReferenceOtlp.Build(TestSpans.Resource, batch), request.Parse());
        else Assert.Equal(20, System.Text.Json.JsonDocument.Parse(request.Message).RootElement.GetProperty("resourceSpans")[0].GetProperty("scopeSpans")[0].GetProperty("spans").GetArrayLength());
    }

    [Fact]
    public async Task Partial_success_is_a_success_reported_with_the_rejected_count()
    {
        _server.Enqueue(ExporterHarness.Respond(200, PartialSuccess(3, "spans too old"), "application/x-protobuf"));
        using var harness = ExporterHarness.Http(_server);

        Assert.Equal(ExportResult.Success, await harness.ExportAsync(TestSpans.Realistic(Source, 1), TestSpans.Realistic(Source, 2), TestSpans.Realistic(Source, 3), TestSpans.Realistic(Source, 4)));

        var diagnostic = harness.Single(OtlpDiagnosticKind.PartialSuccess);
        Assert.Equal(3, diagnostic.RejectedSpans);
        Assert.Contains("rejected 3 of 4 spans: spans too old", diagnostic.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Json_partial_success_is_read_from_a_json_answer()
    {
        _server.Enqueue(ExporterHarness.Respond(200, Encoding.UTF8.GetBytes("""{"partialSuccess":{"rejectedSpans":"2","errorMessage":"bad attribute"}}"""), "application/json"));
        using var harness = ExporterHarness.Http(_server, OtlpExportProtocol.HttpJson);

        Assert.Equal(ExportResult.Success, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));

        var diagnostic = harness.Single(OtlpDiagnosticKind.PartialSuccess);
        Assert.Equal(2, diagnostic.RejectedSpans);
        Assert.Contains("bad attribute", diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_partial_success_is_not_reported()
    {
        _server.Enqueue(ExporterHarness.Respond(200, new ExportTraceServiceResponse().ToByteArray(), "application/x-protobuf"));
        using var harness = ExporterHarness.Http(_server);

        Assert.Equal(ExportResult.Success, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));
        Assert.Empty(harness.Diagnostics);
    }

    [Fact]
    public async Task Too_many_requests_with_retry_after_seconds_is_retried_once_after_that_delay()
    {
        _server.Enqueue(ExporterHarness.Respond(429, configure: r => r.Headers.RetryAfter = "1"), ExporterHarness.Respond(200));
        using var harness = ExporterHarness.Http(_server, configure: o => o.Retry.InitialBackoff = TimeSpan.FromMilliseconds(100));
        var activity = TestSpans.Realistic(Source, 1);

        Assert.Equal(ExportResult.Success, await harness.ExportAsync(activity));

        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal(_server.Requests[0].RawBody, _server.Requests[1].RawBody);
        Assert.Equal([TimeSpan.FromSeconds(1)], harness.Delay.Delays);
        var retry = harness.Single(OtlpDiagnosticKind.RetryScheduled);
        Assert.Equal(429, retry.HttpStatusCode);
        Assert.Equal(1, retry.Attempt);
        Assert.Equal(TimeSpan.FromSeconds(1), retry.RetryDelay);
    }

    [Fact]
    public async Task Retry_after_as_an_http_date_is_measured_from_now()
    {
        using var harness = ExporterHarness.Http(_server);
        var at = harness.Time.GetUtcNow().AddSeconds(3);
        _server.Enqueue(ExporterHarness.Respond(503, configure: r => r.Headers.RetryAfter = at.ToString("R")), ExporterHarness.Respond(200));

        Assert.Equal(ExportResult.Success, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));

        Assert.Equal([TimeSpan.FromSeconds(3)], harness.Delay.Delays);
    }

    [Fact]
    public async Task Service_unavailable_is_retried_after_the_initial_backoff()
    {
        _server.Enqueue(ExporterHarness.Respond(503), ExporterHarness.Respond(200));
        using var harness = ExporterHarness.Http(_server);

        Assert.Equal(ExportResult.Success, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));

        Assert.Equal(2, _server.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(1)], harness.Delay.Delays);
    }

    [Theory]
    [InlineData(502)]
    [InlineData(504)]
    public async Task Gateway_errors_are_retried(int status)
    {
        _server.Enqueue(ExporterHarness.Respond(status), ExporterHarness.Respond(200));
        using var harness = ExporterHarness.Http(_server);

        Assert.Equal(ExportResult.Success, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Bad_request_is_not_retried_and_its_status_message_is_reported()
    {
        var status = new CodedStatus(3, "trace_id must be 16 bytes").ToByteArray();
        _server.Enqueue(ExporterHarness.Respond(400, status, "application/x-protobuf"));
        using var harness = ExporterHarness.Http(_server);

        Assert.Equal(ExportResult.Failure, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));

        Assert.Single(_server.Requests);
        Assert.Empty(harness.Delay.Delays);
        var failure = harness.Single(OtlpDiagnosticKind.ExportFailed);
        Assert.Equal(400, failure.HttpStatusCode);
        Assert.Contains("HTTP 400", failure.Message, StringComparison.Ordinal);
        Assert.Contains("trace_id must be 16 bytes", failure.Message, StringComparison.Ordinal);
        Assert.Contains("without retrying", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(413)]
    [InlineData(500)]
    public async Task Other_error_statuses_are_not_retried(int status)
    {
        _server.Enqueue(ExporterHarness.Respond(status, Encoding.UTF8.GetBytes("nope"), "text/plain"));
        using var harness = ExporterHarness.Http(_server);

        Assert.Equal(ExportResult.Failure, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));

        Assert.Single(_server.Requests);
        Assert.Contains("nope", harness.Single(OtlpDiagnosticKind.ExportFailed).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retries_stop_after_max_attempts_with_growing_capped_backoff()
    {
        for (var i = 0; i < 6; i++) _server.Enqueue(ExporterHarness.Respond(503));
        using var harness = ExporterHarness.Http(_server, configure: o =>
        {
            o.Retry.MaxAttempts = 5;
            o.Retry.MaxBackoff = TimeSpan.FromSeconds(3);
            o.Timeout = TimeSpan.FromMinutes(1);
        });

        Assert.Equal(ExportResult.Failure, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));

        Assert.Equal(5, _server.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(2.25), TimeSpan.FromSeconds(3)], harness.Delay.Delays);
        Assert.Contains("gave up after 5 attempt(s)", harness.Single(OtlpDiagnosticKind.ExportFailed).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retry_is_off_with_one_attempt()
    {
        _server.Enqueue(ExporterHarness.Respond(503));
        using var harness = ExporterHarness.Http(_server, configure: o => o.Retry.MaxAttempts = 1);

        Assert.Equal(ExportResult.Failure, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Server_delay_past_the_export_timeout_gives_up_without_waiting()
    {
        _server.Enqueue(ExporterHarness.Respond(429, configure: r => r.Headers.RetryAfter = "30"));
        using var harness = ExporterHarness.Http(_server, configure: o => o.Timeout = TimeSpan.FromSeconds(10));

        Assert.Equal(ExportResult.Failure, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));

        Assert.Single(_server.Requests);
        Assert.Empty(harness.Delay.Delays);
        Assert.Contains("after the export timeout", harness.Single(OtlpDiagnosticKind.ExportFailed).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backoff_waits_count_against_the_export_timeout()
    {
        for (var i = 0; i < 5; i++) _server.Enqueue(ExporterHarness.Respond(503));
        // Waits of 1 s and 1.5 s fit in 3 s; the third (2.25 s) would not.
        using var harness = ExporterHarness.Http(_server, configure: o => o.Timeout = TimeSpan.FromSeconds(3));

        Assert.Equal(ExportResult.Failure, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));

        Assert.Equal(3, _server.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.5)], harness.Delay.Delays);
    }

    [Fact]
    public async Task Dropped_connections_are_retried_up_to_max_attempts()
    {
        for (var i = 0; i < 3; i++) _server.Enqueue(context => { context.Abort(); return Task.CompletedTask; });
        using var harness = ExporterHarness.Http(_server, configure: o => o.Retry.MaxAttempts = 3);

        Assert.Equal(ExportResult.Failure, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));

        Assert.Equal(3, _server.Requests.Count);
        Assert.Equal(2, harness.Delay.Delays.Count);
        Assert.Equal(2, harness.Diagnostics.Count(d => d.Kind == OtlpDiagnosticKind.RetryScheduled));
    }

    [Fact]
    public async Task Unreachable_endpoint_fails_after_max_attempts()
    {
        // A port that was just free: connecting is refused.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var harness = new ExporterHarness(new OtlpExporterOptions
        {
            Protocol = OtlpExportProtocol.HttpProtobuf,
            Endpoint = new Uri($"http://127.0.0.1:{port}/v1/traces"),
            Retry = { MaxAttempts = 2 },
        });

        Assert.Equal(ExportResult.Failure, await harness.ExportAsync(TestSpans.Realistic(Source, 1)));

        Assert.Single(harness.Delay.Delays);
        Assert.Contains("could not reach", harness.Single(OtlpDiagnosticKind.ExportFailed).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_that_never_answers_fails_at_the_export_timeout()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Enqueue(async context => await release.Task.WaitAsync(context.RequestAborted));
        using var harness = ExporterHarness.Http(_server, configure: o => o.Timeout = TimeSpan.FromMilliseconds(300));

        var result = await harness.ExportAsync(TestSpans.Realistic(Source, 1));
        release.TrySetResult();

        Assert.Equal(ExportResult.Failure, result);
        Assert.Single(_server.Requests);
        Assert.Contains("no answer", harness.Single(OtlpDiagnosticKind.ExportFailed).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Caller_cancellation_fails_the_export()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Enqueue(async context =>
        {
            received.TrySetResult();
            await release.Task.WaitAsync(context.RequestAborted);
        });
        using var harness = ExporterHarness.Http(_server);
        using var cancellation = new CancellationTokenSource();

        var export = harness.Exporter.ExportAsync([TestSpans.Realistic(Source, 1)], cancellation.Token);
        await received.Task;
        await cancellation.CancelAsync();

        Assert.Equal(ExportResult.Failure, await export);
        release.TrySetResult();
        Assert.Contains("cancelled by the caller", harness.Single(OtlpDiagnosticKind.ExportFailed).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shutdown_cancels_a_wait_between_retries_and_later_exports_fail()
    {
        _server.Enqueue(ExporterHarness.Respond(503));
        using var harness = ExporterHarness.Http(_server);
        harness.Delay.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var export = harness.ExportAsync(TestSpans.Realistic(Source, 1));
        await harness.Delay.WaitStarted.Task;
        await harness.Exporter.ShutdownAsync(CancellationToken.None);

        Assert.Equal(ExportResult.Failure, await export);
        Assert.Equal(ExportResult.Failure, await harness.ExportAsync(TestSpans.Realistic(Source, 2)));
        Assert.Single(_server.Requests);
        Assert.Contains(harness.Diagnostics, d => d.Message.Contains("shut down", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Empty_batch_sends_nothing()
    {
        using var harness = ExporterHarness.Http(_server);

        Assert.Equal(ExportResult.Success, await harness.Exporter.ExportAsync([], CancellationToken.None));
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Consecutive_batches_reuse_the_exporter_buffers_without_mixing_them()
    {
        using var harness = ExporterHarness.Http(_server);
        var large = Enumerable.Range(0, 200).Select(i => TestSpans.Realistic(Source, i)).ToArray();
        var small = new[] { TestSpans.Realistic(Source, 999) };

        Assert.Equal(ExportResult.Success, await harness.ExportAsync(large));
        Assert.Equal(ExportResult.Success, await harness.ExportAsync(small));

        Assert.Equal(ReferenceOtlp.Build(TestSpans.Resource, large), _server.Requests[0].Parse());
        Assert.Equal(ReferenceOtlp.Build(TestSpans.Resource, small), _server.Requests[1].Parse());
    }

    [Fact]
    public async Task Throwing_diagnostic_callback_does_not_break_the_export()
    {
        _server.Enqueue(ExporterHarness.Respond(503), ExporterHarness.Respond(200));
        var options = new OtlpExporterOptions { Protocol = OtlpExportProtocol.HttpProtobuf, Endpoint = new Uri(_server.BaseAddress, "/v1/traces") };
        options.Retry.Jitter = 0;
        options.OnDiagnostic = _ => throw new InvalidOperationException("logger broke");
        var time = new ManualTimeProvider();
        using var exporter = new OtlpSpanExporter(options, new RecordingRetryDelay(time), time, random: null);

        Assert.Equal(ExportResult.Success, await exporter.ExportAsync([TestSpans.Realistic(Source, 1)], CancellationToken.None));
    }
}

/// <summary>A google.rpc.Status written with Google.Protobuf's wire writer (the type itself is not in the package).</summary>
internal sealed record CodedStatus(int Code, string Message, params (string TypeUrl, byte[] Value)[] Details)
{
    public byte[] ToByteArray()
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        output.WriteTag(1, WireFormat.WireType.Varint);
        output.WriteInt32(Code);
        output.WriteTag(2, WireFormat.WireType.LengthDelimited);
        output.WriteString(Message);
        foreach (var (typeUrl, value) in Details)
        {
            var any = new Google.Protobuf.WellKnownTypes.Any { TypeUrl = typeUrl, Value = ByteString.CopyFrom(value) };
            output.WriteTag(3, WireFormat.WireType.LengthDelimited);
            output.WriteMessage(any);
        }
        output.Flush();
        return stream.ToArray();
    }

    /// <summary>google.rpc.RetryInfo { retry_delay = 1 (google.protobuf.Duration) }.</summary>
    public static (string, byte[]) RetryInfo(TimeSpan delay)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        output.WriteTag(1, WireFormat.WireType.LengthDelimited);
        output.WriteMessage(Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(delay));
        output.Flush();
        return ("type.googleapis.com/google.rpc.RetryInfo", stream.ToArray());
    }
}
