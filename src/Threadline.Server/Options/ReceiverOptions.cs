namespace Threadline.Server.Options;

/// <summary>Where the span receivers listen and how much one request may carry.</summary>
public sealed class ReceiverOptions
{
    /// <summary>The default for <see cref="MaxRequestBodyBytes"/>: 16 MiB.</summary>
    public const int DefaultMaxRequestBodyBytes = 16 * 1024 * 1024;

    /// <summary>OTLP over gRPC (HTTP/2 cleartext). 0 picks a free port.</summary>
    public int OtlpGrpcPort { get; set; } = 4317;

    /// <summary>OTLP over HTTP (<c>POST /v1/traces</c>). 0 picks a free port.</summary>
    public int OtlpHttpPort { get; set; } = 4318;

    /// <summary>Zipkin v2 JSON (<c>POST /api/v2/spans</c>). 0 picks a free port.</summary>
    public int ZipkinPort { get; set; } = 9411;

    /// <summary>
    /// The most bytes one request body may hold after decompression. A larger body (or a gzip body
    /// that inflates past this) is refused with 413 / RESOURCE_EXHAUSTED without being held in memory.
    /// </summary>
    public int MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;
}
