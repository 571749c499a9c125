using System.Diagnostics;
using System.Globalization;
using System.Net;
using Threadline.Sdk.Diagnostics;
using Threadline.Sdk.Export.Otlp.Transport;

namespace Threadline.Sdk.Export.Otlp;

/// <summary>
/// Exports spans to an OTLP endpoint (an OpenTelemetry Collector, Threadline's server, any
/// OTLP backend) over gRPC, HTTP/protobuf or HTTP/JSON. Each batch is serialized once into a
/// reused buffer and sent; retryable failures are retried with backoff within
/// <see cref="OtlpExporterOptions.Timeout"/>. Problems are reported through
/// <see cref="OtlpExporterOptions.OnDiagnostic"/>, never thrown from <see cref="ExportAsync"/>.
/// </summary>
public sealed class OtlpSpanExporter : SpanExporter
{
    private readonly OtlpTransport _transport;
    private readonly HttpClient _client;
    private readonly OtlpTlsSettings _tls;
    private readonly string? _tlsUnusable;
    private readonly OtlpRetryOptions _retry;
    private readonly TimeSpan _timeout;
    private readonly Action<OtlpDiagnostic>? _onDiagnostic;
    private readonly IRetryDelay _delay;
    private readonly TimeProvider _time;
    private readonly Func<double> _random;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly List<string> _ignoredSettings = [];
    private ExportHealthReporter? _health;

    private int _exporting;
    private int _shutDown;
    private int _disposed;
    private int _released;

    /// <summary>Creates an exporter; the options are checked and copied.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    public OtlpSpanExporter(OtlpExporterOptions options)
        : this(options, delay: null, time: null, random: null)
    {
    }

    internal OtlpSpanExporter(OtlpExporterOptions options, IRetryDelay? delay, TimeProvider? time, Func<double>? random)
    {
        ArgumentNullException.ThrowIfNull(options);
        var endpoint = options.ResolveEndpoint();
        Validate(options, endpoint);

        Protocol = options.Protocol;
        _timeout = options.Timeout;
        _retry = new OtlpRetryOptions
        {
            MaxAttempts = options.Retry.MaxAttempts,
            InitialBackoff = options.Retry.InitialBackoff,
            MaxBackoff = options.Retry.MaxBackoff,
            BackoffMultiplier = options.Retry.BackoffMultiplier,
            Jitter = options.Retry.Jitter,
        };
        _onDiagnostic = options.OnDiagnostic;
        _time = time ?? TimeProvider.System;
        _delay = delay ?? new TimerRetryDelay(_time);
        _random = random ?? Random.Shared.NextDouble;

        // gRPC and OTLP/HTTP share this handler, so both get the trusted CA and client certificate.
        _tls = OtlpTlsSettings.Load(options, endpoint);
        var handler = new SocketsHttpHandler
        {
            // Re-resolve the collector's name now and then: it often sits behind a load balancer.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            EnableMultipleHttp2Connections = true,
            AutomaticDecompression = DecompressionMethods.None,
        };
        _tls.ApplyTo(handler.SslOptions);
        if (_tls.FirstFatal is { } unusable)
        {
            _tlsUnusable = $"{unusable.Setting}='{unusable.Path}' cannot be used ({unusable.Reason}), so nothing is sent rather than sending with weaker TLS than configured; fix it and recreate the exporter";
        }
        _client = new HttpClient(handler)
        {
            // Each export has its own deadline (the options' Timeout), enforced by cancellation.
            Timeout = Timeout.InfiniteTimeSpan,
        };

        var headers = options.Headers.ToArray();
        var gzip = options.Compression == OtlpCompression.Gzip;
        _transport = options.Protocol switch
        {
            OtlpExportProtocol.Grpc => new OtlpGrpcTransport(_client, endpoint, headers, gzip),
            OtlpExportProtocol.HttpJson => new OtlpHttpTransport(_client, endpoint, headers, gzip, json: true, _time),
            _ => new OtlpHttpTransport(_client, endpoint, headers, gzip, json: false, _time),
        };
        Endpoint = _transport.Endpoint;

        foreach (var warning in options.ConfigurationWarnings)
        {
            Report(new OtlpDiagnostic(OtlpDiagnosticKind.InvalidConfiguration, warning));
            _ignoredSettings.Add(warning);
        }
        // Also to the SDK's event source, so an ignored variable shows up without any callback wired.
        foreach (var (setting, value, reason) in options.ConfigurationIssues)
        {
            SdkEventSource.Log.InvalidConfiguration(setting, value, reason);
        }
        // Problems with the TLS files are found only now, when they are read; reported the same way.
        foreach (var issue in _tls.Issues)
        {
            Report(new OtlpDiagnostic(OtlpDiagnosticKind.InvalidConfiguration, issue.Message));
            SdkEventSource.Log.InvalidConfiguration(issue.Setting, issue.Path, issue.Reason);
            _ignoredSettings.Add(issue.Message);
        }
    }

    /// <summary>
    /// Reports what this exporter ignored in its configuration, and from now on its delivery health,
    /// through the session's channel to the user.
    /// </summary>
    internal override void AttachDiagnostics(SdkDiagnostics diagnostics)
    {
        foreach (var ignored in _ignoredSettings) diagnostics.ConfigurationIgnored(ignored);
        _health = diagnostics.ExportHealth($"{Endpoint} ({OtlpExporterOptions.ProtocolName(Protocol)})");
    }

    /// <summary>The protocol in use.</summary>
    public OtlpExportProtocol Protocol { get; }

    /// <summary>The URL requests go to (for gRPC, including the TraceService/Export path).</summary>
    public Uri Endpoint { get; }

    /// <summary>
    /// Sends the batch, retrying retryable failures. Returns <see cref="ExportResult.Failure"/>
    /// (and reports why) when the batch was not delivered, including when
    /// <paramref name="cancellationToken"/> is cancelled. Partial success counts as success.
    /// </summary>
    public override async Task<ExportResult> ExportAsync(IReadOnlyList<Activity> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (Interlocked.Exchange(ref _exporting, 1) == 1)
        {
            throw new InvalidOperationException("ExportAsync was called while another export was running; one processor must drive an exporter, one batch at a time.");
        }

        try
        {
            if (Volatile.Read(ref _disposed) == 1 || Volatile.Read(ref _shutDown) == 1)
            {
                return Fail(0, "the exporter is shut down; the batch was dropped", lostSpans: 0);
            }
            if (batch.Count == 0) return ExportResult.Success;
            if (_tlsUnusable is not null) return Fail(0, $"the batch of {batch.Count} spans was dropped: {_tlsUnusable}", batch.Count);
            return await ExportWithRetriesAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // A full fence, so this and Dispose cannot both miss each other and leak the buffers.
            Interlocked.Exchange(ref _exporting, 0);
            if (Volatile.Read(ref _disposed) == 1) Release();
        }
    }

    /// <summary>Stops further exports and cancels a wait between retries; in-flight requests finish.</summary>
    public override Task ShutdownAsync(CancellationToken cancellationToken)
    {
        _health?.Close();
        if (Interlocked.Exchange(ref _shutDown, 1) == 0) _shutdown.Cancel();
        return Task.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            // Disposed without a shutdown (its timeout passed, say): still say what was lost.
            _health?.Close();
            if (Interlocked.Exchange(ref _shutDown, 1) == 0) _shutdown.Cancel();
            // A running export still uses the buffers; it releases them when it ends.
            if (Volatile.Read(ref _exporting) == 0) Release();
        }
        base.Dispose(disposing);
    }

    private async Task<ExportResult> ExportWithRetriesAsync(IReadOnlyList<Activity> batch, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> body;
        try
        {
            body = _transport.PrepareBody(batch, Resource);
        }
        catch (Exception exception)
        {
            // An attribute value whose ToString throws, for instance: drop this batch, keep the exporter.
            return Fail(0, $"the batch of {batch.Count} spans could not be serialized: {exception.Message}", batch.Count);
        }

        var started = _time.GetTimestamp();
        var backoff = new RetryBackoff(_retry, _random);
        for (var attempt = 1; ; attempt++)
        {
            var remaining = Remaining(started);
            if (remaining != Timeout.InfiniteTimeSpan && remaining <= TimeSpan.Zero)
            {
                return Fail(attempt - 1, $"the export timeout ({Format(_timeout)}) passed before attempt {attempt} to {Endpoint} could start; the batch was dropped", batch.Count);
            }
            AttemptResult result;
            using (var attemptCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                if (remaining != Timeout.InfiniteTimeSpan) attemptCancellation.CancelAfter(remaining);
                try
                {
                    result = await _transport.SendAsync(body, remaining, attemptCancellation.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return Fail(attempt, $"the export to {Endpoint} was cancelled by the caller; the batch was dropped", batch.Count, advice: ExportAdvice.StoppedWaiting(Endpoint));
                }
                catch (OperationCanceledException)
                {
                    // Only the export deadline cancels an attempt besides the caller: no time is left to retry.
                    return Fail(attempt, $"no answer from {Endpoint} within the export timeout ({Format(_timeout)}); the batch was dropped", batch.Count, advice: ExportAdvice.NoAnswer(Endpoint));
                }
                catch (Exception exception)
                {
                    return Fail(attempt, $"the export to {Endpoint} failed unexpectedly: {exception.Message}", batch.Count);
                }
            }

            switch (result.Outcome)
            {
                case AttemptOutcome.Delivered:
                    if (result.RejectedSpans > 0 || result.Description.Length > 0)
                    {
                        Report(new OtlpDiagnostic(
                            OtlpDiagnosticKind.PartialSuccess,
                            $"{Endpoint} accepted the batch but rejected {result.RejectedSpans} of {batch.Count} spans" +
                            (result.Description.Length > 0 ? $": {result.Description}" : string.Empty))
                        {
                            RejectedSpans = result.RejectedSpans,
                            Attempt = attempt,
                            HttpStatusCode = result.HttpStatusCode,
                            GrpcStatusCode = result.GrpcStatusCode,
                        });
                    }
                    _health?.ExportSucceeded();
                    return ExportResult.Success;

                case AttemptOutcome.Rejected:
                    return Fail(attempt, $"{result.Description}; no retry can fix that answer, so the batch was dropped without retrying", batch.Count, result);
            }

            if (attempt >= _retry.MaxAttempts)
            {
                return Fail(attempt, $"{result.Description}; gave up after {attempt} attempt(s)", batch.Count, result);
            }

            var computed = backoff.Next();
            var delay = result.RetryAfter ?? computed;
            remaining = Remaining(started);
            if (remaining != Timeout.InfiniteTimeSpan && delay >= remaining)
            {
                // Waiting would leave no time for the attempt itself: give the time back to the caller.
                return Fail(attempt, $"{result.Description}; the next attempt (in {Format(delay)}) would start after the export timeout ({Format(_timeout)})", batch.Count, result);
            }

            Report(new OtlpDiagnostic(OtlpDiagnosticKind.RetryScheduled, $"{result.Description}; retrying in {Format(delay)}{Check(result.Advice)}")
            {
                Advice = result.Advice,
                Attempt = attempt,
                RetryDelay = delay,
                HttpStatusCode = result.HttpStatusCode,
                GrpcStatusCode = result.GrpcStatusCode,
            });

            try
            {
                using var waitCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
                await _delay.WaitAsync(delay, waitCancellation.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return Fail(attempt, $"the export to {Endpoint} was cancelled while waiting to retry ({result.Description}); the batch was dropped", batch.Count, result);
            }
        }
    }

    private TimeSpan Remaining(long started) =>
        _timeout == Timeout.InfiniteTimeSpan ? Timeout.InfiniteTimeSpan : _timeout - _time.GetElapsedTime(started);

    /// <param name="attempt">The last attempt made; 0 when none was.</param>
    /// <param name="message">What went wrong, naming the endpoint.</param>
    /// <param name="lostSpans">The spans that will not be delivered; 0 for a batch that was empty or refused after shutdown.</param>
    /// <param name="result">The last answer, when there was one.</param>
    /// <param name="advice">What to check, when the answer itself does not say (see <see cref="ExportAdvice"/>).</param>
    private ExportResult Fail(int attempt, string message, long lostSpans, AttemptResult? result = null, string? advice = null)
    {
        advice ??= result?.Advice;
        Report(new OtlpDiagnostic(OtlpDiagnosticKind.ExportFailed, message + Check(advice))
        {
            Attempt = attempt,
            HttpStatusCode = result?.HttpStatusCode,
            GrpcStatusCode = result?.GrpcStatusCode,
            Advice = advice,
        });
        if (lostSpans > 0) _health?.ExportFailed(lostSpans, message, advice);
        return ExportResult.Failure;
    }

    private static string Check(string? advice) => advice is null ? string.Empty : $". What to check: {advice}";

    private void Report(OtlpDiagnostic diagnostic)
    {
        // The event source gets the details too (the batch processor only knows that an export failed),
        // so dotnet-trace shows why without code; configuration warnings are logged where they are read.
        if (SdkEventSource.Log.IsEnabled())
        {
            var endpoint = Endpoint?.ToString() ?? "(no endpoint)";
            switch (diagnostic.Kind)
            {
                case OtlpDiagnosticKind.ExportFailed or OtlpDiagnosticKind.PartialSuccess:
                    SdkEventSource.Log.OtlpExportProblem(endpoint, diagnostic.Message);
                    break;
                case OtlpDiagnosticKind.RetryScheduled:
                    SdkEventSource.Log.OtlpExportRetry(endpoint, diagnostic.Message);
                    break;
            }
        }
        try
        {
            _onDiagnostic?.Invoke(diagnostic);
        }
        catch (Exception)
        {
            // A faulty logging callback must not turn into lost spans.
        }
    }

    private void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) == 1) return;
        _transport.Dispose();
        _client.Dispose();
        _tls.Dispose();
        _shutdown.Dispose();
    }

    private static string Format(TimeSpan value) =>
        value == Timeout.InfiniteTimeSpan ? "none" : value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s";

    private static void Validate(OtlpExporterOptions options, Uri endpoint)
    {
        if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"OtlpExporterOptions.Endpoint '{endpoint}' must be an absolute http:// or https:// URL.", nameof(options));
        }
        if (options.Timeout <= TimeSpan.Zero && options.Timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException($"OtlpExporterOptions.Timeout is {options.Timeout}; use a positive duration or Timeout.InfiniteTimeSpan.", nameof(options));
        }

        var retry = options.Retry;
        if (retry.MaxAttempts < 1)
        {
            throw new ArgumentException($"OtlpRetryOptions.MaxAttempts is {retry.MaxAttempts}; use 1 (no retries) or more.", nameof(options));
        }
        if (retry.InitialBackoff <= TimeSpan.Zero || retry.MaxBackoff < retry.InitialBackoff)
        {
            throw new ArgumentException($"OtlpRetryOptions backoff {retry.InitialBackoff}..{retry.MaxBackoff} is not valid; InitialBackoff must be positive and at most MaxBackoff.", nameof(options));
        }
        if (!(retry.BackoffMultiplier >= 1) || double.IsInfinity(retry.BackoffMultiplier))
        {
            throw new ArgumentException($"OtlpRetryOptions.BackoffMultiplier is {retry.BackoffMultiplier}; use a finite value of 1 or more.", nameof(options));
        }
        if (!(retry.Jitter >= 0 && retry.Jitter <= 1))
        {
            throw new ArgumentException($"OtlpRetryOptions.Jitter is {retry.Jitter}; use a fraction from 0 to 1.", nameof(options));
        }

        using var probe = new HttpRequestMessage();
        foreach (var header in options.Headers)
        {
            if (header.Value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0 || !probe.Headers.TryAddWithoutValidation(header.Key, header.Value))
            {
                throw new ArgumentException($"OtlpExporterOptions.Headers has '{header.Key}', which cannot be sent as a request header (content headers are set by the exporter; values cannot hold line breaks).", nameof(options));
            }
        }
    }
}
