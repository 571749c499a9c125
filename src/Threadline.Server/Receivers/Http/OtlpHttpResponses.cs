using Microsoft.AspNetCore.Http;
using Threadline.Protocol.Grpc;

namespace Threadline.Server.Receivers.Http;

/// <summary>
/// Error answers of the OTLP/HTTP receiver: an HTTP status plus a google.rpc.Status body in the
/// request's encoding, as the OTLP specification asks.
/// </summary>
internal static class OtlpHttpResponses
{
    // google.rpc.Code values carried in the Status body.
    private const int InvalidArgument = 3;
    private const int ResourceExhausted = 8;

    public static Task BadRequestAsync(HttpResponse response, OtlpHttpFormat format, string message, CancellationToken cancellationToken) =>
        WriteAsync(response, StatusCodes.Status400BadRequest, format, new RpcStatus(InvalidArgument, message), cancellationToken);

    public static Task UnsupportedMediaTypeAsync(HttpResponse response, OtlpHttpFormat format, string message, CancellationToken cancellationToken) =>
        WriteAsync(response, StatusCodes.Status415UnsupportedMediaType, format, new RpcStatus(InvalidArgument, message), cancellationToken);

    public static Task TooLargeAsync(HttpResponse response, OtlpHttpFormat format, string message, CancellationToken cancellationToken) =>
        WriteAsync(response, StatusCodes.Status413PayloadTooLarge, format, new RpcStatus(ResourceExhausted, message), cancellationToken);

    /// <summary>
    /// A valid request the pipeline could not take (429: the queue is full; 503: the store failed
    /// or the server is stopping), with Retry-After and RetryInfo when the client should back off.
    /// </summary>
    public static Task IngestRefusedAsync(HttpResponse response, OtlpHttpFormat format, OtlpHttpIngestAnswer answer, string message, TimeSpan retryAfter, CancellationToken cancellationToken)
    {
        if (answer.RetryHint) RetryAfterHeader.Set(response, retryAfter);
        return WriteAsync(response, answer.StatusCode, format, new RpcStatus(answer.RpcCode, message, answer.RetryHint ? retryAfter : null), cancellationToken);
    }

    private static async Task WriteAsync(HttpResponse response, int statusCode, OtlpHttpFormat format, RpcStatus status, CancellationToken cancellationToken)
    {
        response.StatusCode = statusCode;
        response.ContentType = format.ContentType();
        var body = format == OtlpHttpFormat.Json ? status.ToJson() : status.ToProtobuf();
        await response.Body.WriteAsync(body, cancellationToken).ConfigureAwait(false);
    }
}
