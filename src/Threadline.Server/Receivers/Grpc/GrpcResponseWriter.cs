using Microsoft.AspNetCore.Http;
using Threadline.Protocol.Grpc;

namespace Threadline.Server.Receivers.Grpc;

/// <summary>
/// Writes the gRPC side of an HTTP/2 response: one length-prefixed message and the status in
/// trailers. Errors travel as HTTP 200 with a non-zero <c>grpc-status</c>, as gRPC requires.
/// </summary>
internal static class GrpcResponseWriter
{
    public const string ContentType = "application/grpc";

    /// <summary>The message compressions this receiver accepts, advertised on every response.</summary>
    public const string AcceptEncoding = "gzip";

    public static void WriteHeaders(HttpResponse response)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.Headers["grpc-accept-encoding"] = AcceptEncoding;
    }

    /// <summary>Writes one uncompressed message with its 5-byte prefix.</summary>
    public static async Task WriteMessageAsync(HttpResponse response, ReadOnlyMemory<byte> message, CancellationToken cancellationToken)
    {
        var writer = response.BodyWriter;
        GrpcMessagePrefix.Write(writer.GetSpan(GrpcMessagePrefix.Size), message.Length);
        writer.Advance(GrpcMessagePrefix.Size);
        await writer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sets <c>grpc-status</c> and <c>grpc-message</c>, plus <c>grpc-status-details-bin</c> (a
    /// google.rpc.Status holding RetryInfo) when the client should back off.
    /// </summary>
    public static void WriteStatus(HttpResponse response, GrpcStatusCode code, string? message = null, TimeSpan? retryDelay = null)
    {
        response.AppendTrailer(GrpcStatusTrailers.Status, GrpcStatusTrailers.EncodeStatus(code));
        if (!string.IsNullOrEmpty(message))
            response.AppendTrailer(GrpcStatusTrailers.Message, GrpcStatusTrailers.EncodeMessage(message));
        if (retryDelay is not null)
            response.AppendTrailer(GrpcStatusTrailers.Details, GrpcStatusTrailers.EncodeDetails(new RpcStatus((int)code, message ?? string.Empty, retryDelay)));
    }
}
