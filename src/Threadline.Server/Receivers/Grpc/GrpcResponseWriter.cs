using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

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

    private const int FrameHeaderLength = 5;

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
        var header = writer.GetSpan(FrameHeaderLength);
        header[0] = 0; // not compressed
        BinaryPrimitives.WriteUInt32BigEndian(header[1..], (uint)message.Length);
        writer.Advance(FrameHeaderLength);
        await writer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sets <c>grpc-status</c> and <c>grpc-message</c>, plus <c>grpc-status-details-bin</c> (a
    /// google.rpc.Status holding RetryInfo) when the client should back off.
    /// </summary>
    public static void WriteStatus(HttpResponse response, GrpcStatusCode code, string? message = null, TimeSpan? retryDelay = null)
    {
        response.AppendTrailer("grpc-status", ((int)code).ToString(CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(message))
            response.AppendTrailer("grpc-message", PercentEncode(message));
        if (retryDelay is not null)
        {
            var details = new RpcStatus((int)code, message ?? string.Empty, retryDelay).ToProtobuf();
            response.AppendTrailer("grpc-status-details-bin", ToUnpaddedBase64(details));
        }
    }

    /// <summary>
    /// The gRPC spec's percent-encoding for <c>grpc-message</c>: UTF-8 bytes outside printable
    /// ASCII, and '%' itself, become %XX, so any message survives an HTTP/2 header.
    /// </summary>
    public static string PercentEncode(string message)
    {
        var bytes = Encoding.UTF8.GetBytes(message);
        var builder = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%')
                builder.Append((char)b);
            else
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }

    // gRPC -bin metadata is base64 and implementations emit it without padding.
    private static string ToUnpaddedBase64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');
}
