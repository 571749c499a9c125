using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;

namespace Threadline.Server.Tests.Infrastructure;

/// <summary>What a gRPC call returned: the HTTP layer, the status from the trailers, and the message.</summary>
/// <param name="StatusInTrailers">False for a trailers-only answer, whose status travels in the headers.</param>
internal sealed record GrpcCall(HttpStatusCode HttpStatus, int? Status, string? Message, byte[]? StatusDetails, byte[]? ResponseMessage, HttpResponseHeaders Headers, bool StatusInTrailers);

/// <summary>
/// Speaks just enough gRPC over HttpClient (HTTP/2 with prior knowledge on http://) to call
/// the OTLP Export method and read its trailers.
/// </summary>
internal static class GrpcTestClient
{
    public const string ExportPath = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

    /// <summary>The 5-byte prefix (compressed flag, big-endian length) then the message.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> message, bool compressed = false, uint? declaredLength = null)
    {
        var framed = new byte[5 + message.Length];
        framed[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), declaredLength ?? (uint)message.Length);
        message.CopyTo(framed.AsSpan(5));
        return framed;
    }

    public static async Task<GrpcCall> CallAsync(
        Uri endpoint,
        byte[] body,
        string path = ExportPath,
        string contentType = "application/grpc",
        string? grpcEncoding = null,
        string? grpcTimeout = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        if (grpcEncoding is not null) request.Headers.TryAddWithoutValidation("grpc-encoding", grpcEncoding);
        if (grpcTimeout is not null) request.Headers.TryAddWithoutValidation("grpc-timeout", grpcTimeout);

        using var response = await TestContext.Http.SendAsync(request, TestContext.Timeout);
        var payload = await response.Content.ReadAsByteArrayAsync(TestContext.Timeout);

        byte[]? message = null;
        if (payload.Length >= 5)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(1));
            Assert.Equal(0, payload[0]);
            Assert.Equal(payload.Length - 5, (int)length);
            message = payload[5..];
        }

        var status = Header(response, "grpc-status");
        var grpcMessage = Header(response, "grpc-message");
        var details = Header(response, "grpc-status-details-bin");
        return new GrpcCall(
            response.StatusCode,
            status is null ? null : int.Parse(status, System.Globalization.CultureInfo.InvariantCulture),
            grpcMessage is null ? null : Uri.UnescapeDataString(grpcMessage),
            details is null ? null : Convert.FromBase64String(Pad(details)),
            message,
            response.Headers,
            response.TrailingHeaders.Contains("grpc-status"));
    }

    // Trailers normally; the headers too, for a trailers-only answer.
    private static string? Header(HttpResponseMessage response, string name) =>
        response.TrailingHeaders.TryGetValues(name, out var values) ? values.First()
        : response.Headers.TryGetValues(name, out values) ? values.First()
        : null;

    private static string Pad(string base64) => base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
}
