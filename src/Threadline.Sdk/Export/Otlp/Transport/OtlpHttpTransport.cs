using System.Diagnostics;
using System.Net;
using System.Text;
using Threadline.Sdk.Export.Otlp.Serialization;

namespace Threadline.Sdk.Export.Otlp.Transport;

/// <summary>OTLP/HTTP: POST the request as binary protobuf or JSON to the traces URL.</summary>
internal sealed class OtlpHttpTransport : OtlpTransport
{
    private readonly bool _json;
    private readonly OtlpProtobufSerializer? _protobuf;
    private readonly OtlpJsonSerializer? _jsonSerializer;
    private readonly TimeProvider _time;

    public OtlpHttpTransport(HttpClient client, Uri endpoint, KeyValuePair<string, string>[] headers, bool gzip, bool json, TimeProvider time)
        : base(client, endpoint, headers, gzip)
    {
        _json = json;
        _time = time;
        if (json) _jsonSerializer = new OtlpJsonSerializer();
        else _protobuf = new OtlpProtobufSerializer();
    }

    public override ReadOnlyMemory<byte> PrepareBody(IReadOnlyList<Activity> batch, ServiceResource resource)
    {
        Payload.Clear();
        if (_json) _jsonSerializer!.Serialize(Payload, resource, batch);
        else _protobuf!.Serialize(Payload, resource, batch);
        if (!Gzip) return Payload.WrittenMemory;

        Compressed!.Clear();
        Compress(Payload.WrittenSpan);
        return Compressed.WrittenMemory;
    }

    public override async Task<AttemptResult> SendAsync(ReadOnlyMemory<byte> body, TimeSpan remaining, CancellationToken cancellationToken)
    {
        // HTTP/1.1 for http:// (no h2c upgrade needed); over TLS the server may pick HTTP/2.
        using var request = CreateRequest(body, HttpVersion.Version11, HttpVersionPolicy.RequestVersionOrHigher);
        request.Content!.Headers.TryAddWithoutValidation("Content-Type", _json ? "application/json" : "application/x-protobuf");
        if (Gzip) request.Content.Headers.ContentEncoding.Add("gzip");

        try
        {
            using var response = await SendRequestAsync(request, cancellationToken).ConfigureAwait(false);
            var responseBody = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
            return Interpret(response, responseBody.Span);
        }
        catch (HttpRequestException exception) when (!cancellationToken.IsCancellationRequested)
        {
            return NoAnswer(exception, $"could not reach {Endpoint}", http2Required: false);
        }
        catch (IOException exception) when (!cancellationToken.IsCancellationRequested)
        {
            return new AttemptResult(AttemptOutcome.Retryable, $"connection to {Endpoint} failed while reading the answer: {Describe(exception)}")
            {
                Advice = ExportAdvice.Unreachable(HttpRequestError.Unknown, Endpoint),
            };
        }
    }

    private AttemptResult Interpret(HttpResponseMessage response, ReadOnlySpan<byte> body)
    {
        var status = (int)response.StatusCode;
        var mediaType = response.Content.Headers.ContentType?.MediaType ?? string.Empty;
        var isJson = mediaType.Contains("json", StringComparison.OrdinalIgnoreCase) || (mediaType.Length == 0 && _json);

        if (status is >= 200 and < 300)
        {
            var (rejected, message) = isJson ? OtlpResponse.ReadPartialSuccessJson(body) : OtlpResponse.ReadPartialSuccessProtobuf(body);
            return AttemptResult.Delivered(rejected, message ?? string.Empty) with { HttpStatusCode = status };
        }

        // OTLP servers explain an error with a google.rpc.Status; proxies in between send text.
        string? detail = null;
        if (isJson) detail = OtlpResponse.ReadStatusMessageJson(body) ?? Encoding.UTF8.GetString(body[..Math.Min(body.Length, 512)]);
        else if (mediaType.Contains("protobuf", StringComparison.OrdinalIgnoreCase)) detail = OtlpResponse.ReadStatusMessageProtobuf(body);
        else if (mediaType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)) detail = Encoding.UTF8.GetString(body[..Math.Min(body.Length, 512)]);
        var description = $"{Endpoint} answered HTTP {status} {response.ReasonPhrase}" + (string.IsNullOrEmpty(detail) ? string.Empty : $": {Truncate(detail.TrimEnd('.', ' '))}");

        // The OTLP specification: only these mean "try again later"; every other 4xx and 5xx
        // says the request itself will not be accepted.
        var retryable = status is 429 or 502 or 503 or 504;
        return new AttemptResult(retryable ? AttemptOutcome.Retryable : AttemptOutcome.Rejected, description)
        {
            HttpStatusCode = status,
            RetryAfter = retryable ? ReadRetryAfter(response) : null,
            Advice = ExportAdvice.ForHttpStatus(status, Endpoint, _json ? "application/json" : "application/x-protobuf", detail),
        };
    }

    /// <summary>Retry-After as seconds or as an HTTP date.</summary>
    private TimeSpan? ReadRetryAfter(HttpResponseMessage response)
    {
        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (retryAfter?.Date is { } date)
        {
            var wait = date - _time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }

    public override void Dispose()
    {
        _jsonSerializer?.Dispose();
        base.Dispose();
    }
}
