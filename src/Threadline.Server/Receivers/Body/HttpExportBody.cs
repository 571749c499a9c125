using Microsoft.AspNetCore.Http;
using Threadline.Protocol;
using Threadline.Pipeline.Ingest;

namespace Threadline.Server.Receivers.Body;

/// <summary>Decodes a whole request body into spans; throws <see cref="ProtocolException"/> when it is not valid.</summary>
internal delegate DecodedSpans BodyDecoder(ReadOnlySpan<byte> body);

/// <summary>
/// The decoded spans of an HTTP export request, or why it was refused: the HTTP status (400 or 413),
/// the refusal to count, and a message that says what was wrong.
/// </summary>
internal readonly record struct HttpExportBody(DecodedSpans? Spans, int StatusCode, RequestRefusal Refusal, string? Error)
{
    /// <summary>
    /// Reads the body (inflating gzip, within the limit) and decodes it: the step the OTLP/HTTP and
    /// Zipkin receivers share. The pooled body buffer is back in the pool when this returns, so the
    /// wait for the store that follows holds no request bytes.
    /// </summary>
    /// <param name="what">What the body should be, for the message: "an OTLP/JSON ExportTraceServiceRequest".</param>
    public static async Task<HttpExportBody> ReadAsync(
        HttpRequest request, ContentCoding coding, int maxBytes, BodyDecoder decode, string what, CancellationToken cancellationToken)
    {
        using var body = await HttpBodyReader.ReadAsync(request, coding, maxBytes, cancellationToken).ConfigureAwait(false);
        switch (body.Status)
        {
            case BodyReadStatus.TooLarge:
                return Refused(StatusCodes.Status413PayloadTooLarge, RequestRefusal.TooLarge, body.Error!);
            case BodyReadStatus.MalformedCompression:
            case BodyReadStatus.Incomplete:
                return Refused(StatusCodes.Status400BadRequest, RequestRefusal.Malformed, body.Error!);
        }
        try
        {
            return new HttpExportBody(decode(body.Body!.WrittenSpan), StatusCodes.Status200OK, default, null);
        }
        catch (ProtocolException ex)
        {
            return Refused(StatusCodes.Status400BadRequest, RequestRefusal.Malformed, $"The body is not {what}: {ex.Message}");
        }
    }

    private static HttpExportBody Refused(int statusCode, RequestRefusal refusal, string error) => new(null, statusCode, refusal, error);
}
