using System.Globalization;
using System.Text;

namespace Threadline.Protocol.Grpc;

/// <summary>The HTTP/2 trailers that carry a gRPC call's outcome.</summary>
public static class GrpcStatusTrailers
{
    public const string Status = "grpc-status";
    public const string Message = "grpc-message";

    /// <summary>A google.rpc.Status (see <see cref="RpcStatus"/>); gRPC libraries base64 it as -bin metadata.</summary>
    public const string Details = "grpc-status-details-bin";

    /// <summary>
    /// The gRPC spec's percent-encoding for <c>grpc-message</c>: UTF-8 bytes outside printable
    /// ASCII, and '%' itself, become %XX, so any message survives an HTTP/2 header.
    /// </summary>
    public static string EncodeMessage(string message)
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
}
