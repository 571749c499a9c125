using Microsoft.Net.Http.Headers;

namespace Threadline.Server.Receivers.Http;

/// <summary>The two OTLP/HTTP body encodings. A response always uses the request's encoding.</summary>
internal enum OtlpHttpFormat
{
    Protobuf,
    Json,
}

internal static class OtlpHttpFormats
{
    public const string ProtobufContentType = "application/x-protobuf";
    public const string JsonContentType = "application/json";

    /// <summary>Reads the format from a Content-Type; parameters such as charset are ignored.</summary>
    public static bool TryParse(string? contentType, out OtlpHttpFormat format)
    {
        format = OtlpHttpFormat.Protobuf;
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed)) return false;
        var mediaType = parsed.MediaType.AsSpan();
        if (mediaType.Equals(ProtobufContentType, StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("application/protobuf", StringComparison.OrdinalIgnoreCase))
        {
            format = OtlpHttpFormat.Protobuf;
            return true;
        }
        if (mediaType.Equals(JsonContentType, StringComparison.OrdinalIgnoreCase))
        {
            format = OtlpHttpFormat.Json;
            return true;
        }
        return false;
    }

    public static string ContentType(this OtlpHttpFormat format) =>
        format == OtlpHttpFormat.Json ? JsonContentType : ProtobufContentType;
}
