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
    private const int Unavailable = 14;

    public static Task BadRequestAsync(HttpResponse response, OtlpHttpFormat format, string message, CancellationToken cancellationToken) =>
        WriteAsync(response, StatusCodes.Status400BadRequest, format, new RpcStatus(InvalidArgument, message), cancellationToken);

    public static Task UnsupportedMediaTypeAsync(HttpResponse response, OtlpHttpFormat format, string message, CancellationToken cancellationToken) =>
        WriteAsync(response, StatusCodes.Status415UnsupportedMediaType, format, new RpcStatus(InvalidArgument, message), cancellationToken);

    public static Task TooLargeAsync(HttpResponse response, OtlpHttpFormat format, string message, CancellationToken cancellationToken) =>
        WriteAsync(response, StatusCodes.Status413PayloadTooLarge, format, new RpcStatus(ResourceExhausted, message), cancellationToken);

    /// <summary>429 with Retry-After: the queue is full and the client should back off.</summary>
    public static Task TooManyRequestsAsync(HttpResponse response, OtlpHttpFormat format, string message, TimeSpan retryAfter, CancellationToken cancellationToken)
    {
        RetryAfterHeader.Set(response, retryAfter);
        return WriteAsync(response, StatusCodes.Status429TooManyRequests, format, new RpcStatus(ResourceExhausted, message, retryAfter), cancellationToken);
    }

    /// <summary>503 with Retry-After: the store failed or the server is stopping.</summary>
    public static Task UnavailableAsync(HttpResponse response, OtlpHttpFormat format, string message, TimeSpan retryAfter, CancellationToken cancellationToken)
    {
        RetryAfterHeader.Set(response, retryAfter);
        return WriteAsync(response, StatusCodes.Status503ServiceUnavailable, format, new RpcStatus(Unavailable, message, retryAfter), cancellationToken);
    }

    private static async Task WriteAsync(HttpResponse response, int statusCode, OtlpHttpFormat format, RpcStatus status, CancellationToken cancellationToken)
    {
        response.StatusCode = statusCode;
        response.ContentType = format.ContentType();
        var body = format == OtlpHttpFormat.Json ? status.ToJson() : status.ToProtobuf();
        await response.Body.WriteAsync(body, cancellationToken).ConfigureAwait(false);
    }
}
