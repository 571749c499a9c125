using System.Globalization;
using System.Text;

namespace Threadline.Protocol.Grpc;

/// <summary>
/// How a gRPC call's outcome is spelled in HTTP/2 trailers: the status code as decimal text, the
/// message percent-encoded, and the google.rpc.Status details as unpadded base64.
/// </summary>
public static class GrpcStatusTrailers
{
    public const string Status = "grpc-status";
    public const string Message = "grpc-message";
    public const string Details = "grpc-status-details-bin";

    public static string EncodeStatus(GrpcStatusCode code) => ((int)code).ToString(CultureInfo.InvariantCulture);

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

    /// <summary>The <c>grpc-status-details-bin</c> value: -bin metadata is base64, which gRPC implementations emit without padding.</summary>
    public static string EncodeDetails(RpcStatus status) => Convert.ToBase64String(status.ToProtobuf()).TrimEnd('=');
}
