using System.Diagnostics;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Authentication;
using Threadline.Sdk.Export.Otlp.Serialization;

namespace Threadline.Sdk.Export.Otlp.Transport;

/// <summary>How one attempt to deliver a batch ended.</summary>
internal enum AttemptOutcome
{
    Delivered,
    Retryable,
    Rejected,
}

/// <summary>The answer to one attempt, reduced to what the retry loop and diagnostics need.</summary>
internal sealed record AttemptResult(AttemptOutcome Outcome, string Description)
{
    /// <summary>The server's requested wait (Retry-After, RetryInfo), overriding the backoff.</summary>
    public TimeSpan? RetryAfter { get; init; }

    public long RejectedSpans { get; init; }

    public int? HttpStatusCode { get; init; }

    public int? GrpcStatusCode { get; init; }

    /// <summary>What the user should check, for a failed attempt (see <see cref="ExportAdvice"/>).</summary>
    public string? Advice { get; init; }

    public static AttemptResult Delivered(long rejectedSpans, string description) =>
        new(AttemptOutcome.Delivered, description) { RejectedSpans = rejectedSpans };
}

/// <summary>
/// One OTLP transport: turns a batch into a request body (kept for retries) and sends it. The
/// exporter drives one batch at a time, so the buffers are reused without locking.
/// </summary>
internal abstract class OtlpTransport : IDisposable
{
    // Answers are tiny (an empty response or a partial success); more than this is not an OTLP
    // answer, and only the start is kept for the diagnostic.
    private const int MaxResponseBytes = 64 * 1024;

    private static readonly ProductInfoHeaderValue UserAgentValue = new(
        "Threadline-Sdk-dotnet",
        typeof(OtlpTransport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0");

    private readonly HttpClient _client;
    private readonly KeyValuePair<string, string>[] _headers;
    private PayloadBufferStream? _compressedStream;

    protected OtlpTransport(HttpClient client, Uri endpoint, KeyValuePair<string, string>[] headers, bool gzip)
    {
        _client = client;
        Endpoint = endpoint;
        _headers = headers;
        Gzip = gzip;
        Payload = new PayloadBuffer(64 * 1024);
        Compressed = gzip ? new PayloadBuffer(16 * 1024) : null;
        Response = new PayloadBuffer(1024);
    }

    public Uri Endpoint { get; }

    protected bool Gzip { get; }

    protected PayloadBuffer Payload { get; }

    protected PayloadBuffer? Compressed { get; }

    protected PayloadBuffer Response { get; }

    /// <summary>Encodes the batch into the request body and returns it; valid until the next call.</summary>
    public abstract ReadOnlyMemory<byte> PrepareBody(IReadOnlyList<Activity> batch, ServiceResource resource);

    /// <summary>
    /// Sends the body once. Network failures come back as <see cref="AttemptOutcome.Retryable"/>;
    /// cancellation (the export deadline, the caller) is thrown.
    /// </summary>
    public abstract Task<AttemptResult> SendAsync(ReadOnlyMemory<byte> body, TimeSpan remaining, CancellationToken cancellationToken);

    public virtual void Dispose()
    {
        Payload.Dispose();
        Compressed?.Dispose();
        Response.Dispose();
    }

    protected HttpRequestMessage CreateRequest(ReadOnlyMemory<byte> body, Version version, HttpVersionPolicy policy)
    {
        var segment = MemoryMarshal.TryGetArray(body, out var array)
            ? array
            : new ArraySegment<byte>(body.ToArray());
        var request = new HttpRequestMessage(HttpMethod.Post, Endpoint)
        {
            Version = version,
            VersionPolicy = policy,
            // ByteArrayContent sends the pooled array in place; the exporter does not touch it
            // again until this request is finished.
            Content = new ByteArrayContent(segment.Array!, segment.Offset, segment.Count),
        };
        request.Headers.UserAgent.Add(UserAgentValue);
        foreach (var header in _headers) request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        return request;
    }

    protected async Task<HttpResponseMessage> SendRequestAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // HttpClient is traced; without this every export would become a span to export.
        using var suppressed = SuppressInstrumentation.Begin();
        return await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the whole body (so trailers arrive), keeping at most 64 KiB of it.</summary>
    protected async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        Response.Clear();
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            while (true)
            {
                var memory = Response.GetMemory(4096);
                var read = await stream.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
                if (read == 0) break;
                // Past the limit, reads land in the same scratch block and are dropped, but the
                // body is still drained so the trailers arrive.
                if (Response.Length < MaxResponseBytes) Response.Advance(read);
            }
        }
        return Response.WrittenMemory;
    }

    /// <summary>Gzips <paramref name="source"/> after whatever <see cref="Compressed"/> holds.</summary>
    protected void Compress(ReadOnlySpan<byte> source)
    {
        _compressedStream ??= new PayloadBufferStream(Compressed!);
        // Fastest: the exporter runs beside the application, and OTLP payloads (repeated keys,
        // hex-free binary ids) shrink well even at the lowest level.
        using var gzip = new GZipStream(_compressedStream, CompressionLevel.Fastest, leaveOpen: true);
        gzip.Write(source);
    }

    /// <summary>
    /// The result of an attempt that got no answer. Most are worth retrying (the collector may be
    /// starting), but not a server that refuses the HTTP version: that is the wrong port or protocol.
    /// </summary>
    protected AttemptResult NoAnswer(HttpRequestException exception, string whatFailed, bool http2Required)
    {
        var description = $"{whatFailed}: {Describe(exception)}";
        if (http2Required && RefusedHttp2(exception))
        {
            return new AttemptResult(AttemptOutcome.Rejected, $"{Endpoint} refused HTTP/2 ({Describe(exception)})")
            {
                Advice = ExportAdvice.GrpcToHttp1Server(Endpoint),
            };
        }
        return new AttemptResult(AttemptOutcome.Retryable, description) { Advice = ExportAdvice.Unreachable(exception.HttpRequestError, Endpoint) };
    }

    /// <summary>
    /// An HTTP/1.1-only server answers the HTTP/2 preface with HTTP_1_1_REQUIRED (Kestrel) or fails
    /// the version negotiation (TLS without h2 in ALPN).
    /// </summary>
    private static bool RefusedHttp2(HttpRequestException exception)
    {
        if (exception.HttpRequestError == HttpRequestError.VersionNegotiationError) return true;
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is HttpProtocolException { ErrorCode: Http11RequiredErrorCode }) return true;
        }
        return false;
    }

    // RFC 9113 section 7: the server wants this request over HTTP/1.1.
    private const long Http11RequiredErrorCode = 0xd;

    /// <summary>
    /// What went wrong, from the exception and what it wraps. HttpClient's own messages are often
    /// generic ("The SSL connection could not be established, see inner exception", "An error
    /// occurred while sending the request") while what to fix (an untrusted root, a host name
    /// mismatch, a connection the server closed) is inside.
    /// </summary>
    protected static string Describe(Exception exception)
    {
        var innermost = exception;
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException) return $"the TLS handshake failed: {inner.Message}";
            innermost = inner;
        }
        return innermost == exception || exception.Message.Contains(innermost.Message, StringComparison.Ordinal)
            ? exception.Message
            : $"{exception.Message} ({innermost.Message})";
    }

    protected static string Truncate(string text, int max = 256) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max), "…");
}
