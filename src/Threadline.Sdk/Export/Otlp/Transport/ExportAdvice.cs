using System.Globalization;

namespace Threadline.Sdk.Export.Otlp.Transport;

/// <summary>
/// What to check when an export fails, in words a user who just followed the docs can act on. Most
/// failures on a first run are a wrong port or protocol (gRPC sent to the OTLP/HTTP port, or the
/// reverse), a host name that does not resolve, or nothing listening; the advice names the
/// well-known OTLP ports and the variables that change the choice.
/// </summary>
internal static class ExportAdvice
{
    public const int OtlpGrpcPort = 4317;
    public const int OtlpHttpPort = 4318;
    public const int ThreadlineUiPort = 16686;

    /// <summary>gRPC (HTTP/2) reached a server that speaks only HTTP/1.1.</summary>
    public static string GrpcToHttp1Server(Uri endpoint) =>
        $"{HostAndPort(endpoint)} speaks HTTP/1.1, and OTLP/gRPC needs HTTP/2{PortRole(endpoint)}; " +
        $"use port {OtlpGrpcPort} for grpc, or set OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf and use port {OtlpHttpPort}";

    /// <summary>OTLP/HTTP (HTTP/1.1) reached a server that takes only HTTP/2, a gRPC port.</summary>
    public static string HttpToGrpcServer(Uri endpoint) =>
        $"{HostAndPort(endpoint)} takes only HTTP/2 (gRPC){PortRole(endpoint)}; " +
        $"set OTEL_EXPORTER_OTLP_PROTOCOL=grpc, or use port {OtlpHttpPort} for http/protobuf";

    /// <summary>Advice for an OTLP/HTTP answer with an error status.</summary>
    public static string ForHttpStatus(int status, Uri endpoint, string contentType, string? detail) => status switch
    {
        400 when detail?.Contains("HTTP/2 only", StringComparison.OrdinalIgnoreCase) == true => HttpToGrpcServer(endpoint),
        400 => $"the server could not read the request; check that it takes {contentType} (OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf or http/json)",
        401 or 403 => Credentials,
        404 => $"nothing takes spans at {endpoint.AbsolutePath} on {HostAndPort(endpoint)}{PortRole(endpoint)}; an OTLP/HTTP receiver takes POST /v1/traces, usually on port {OtlpHttpPort} " +
               "(OTEL_EXPORTER_OTLP_ENDPOINT gets /v1/traces appended, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is used as it is)",
        405 => $"{endpoint} does not take POST, so it is not an OTLP/HTTP receiver{PortRole(endpoint)}; use the receiver's /v1/traces, usually on port {OtlpHttpPort}",
        413 => TooLarge,
        415 => $"the server does not take {contentType}; check OTEL_EXPORTER_OTLP_PROTOCOL (http/protobuf or http/json), or use grpc if this is a gRPC port",
        429 or 502 or 503 or 504 => Overloaded,
        >= 500 => "the server failed while handling the request; look at its logs",
        _ => "the server refused the request; look at its logs and at the endpoint URL",
    };

    /// <summary>Advice for a gRPC answer; <paramref name="plainHttp"/> when it carried no gRPC status at all.</summary>
    public static string ForGrpcStatus(int code, int httpStatus, bool plainHttp, Uri endpoint)
    {
        if (plainHttp && httpStatus is 404 or 405 or 415)
        {
            return $"{HostAndPort(endpoint)} answered plain HTTP {httpStatus.ToString(CultureInfo.InvariantCulture)}, so it is not an OTLP/gRPC receiver{PortRole(endpoint)}; " +
                   $"use port {OtlpGrpcPort} for grpc, or set OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf and use port {OtlpHttpPort}";
        }
        return code switch
        {
            GrpcStatus.Unauthenticated or GrpcStatus.PermissionDenied => Credentials,
            GrpcStatus.Unimplemented => $"the server at {HostAndPort(endpoint)} does not offer OTLP trace export{PortRole(endpoint)}; an OTLP/gRPC receiver usually listens on port {OtlpGrpcPort}",
            GrpcStatus.ResourceExhausted => TooLarge,
            GrpcStatus.InvalidArgument or GrpcStatus.Internal => "the server could not read the request; look at its logs",
            GrpcStatus.Unavailable or GrpcStatus.DeadlineExceeded or GrpcStatus.Aborted => Overloaded,
            _ => "look at the server's logs",
        };
    }

    /// <summary>Advice when no answer came: the error kind says whether the name, the port or TLS is wrong.</summary>
    public static string Unreachable(HttpRequestError error, Uri endpoint) => error switch
    {
        HttpRequestError.NameResolutionError =>
            $"the host name '{endpoint.Host}' could not be resolved; check the host in the endpoint (OTEL_EXPORTER_OTLP_ENDPOINT): " +
            "a collector in another container needs its service name there, one on this machine is localhost",
        HttpRequestError.ConnectionError =>
            $"nothing accepted a connection on {HostAndPort(endpoint)}; is the collector running and listening there? " +
            $"OTLP uses port {OtlpGrpcPort} for grpc and {OtlpHttpPort} for http/protobuf",
        HttpRequestError.SecureConnectionError =>
            "check the TLS settings (OTEL_EXPORTER_OTLP_CERTIFICATE for a private CA), or use http:// if the server does not speak TLS",
        _ => $"check that the collector at {HostAndPort(endpoint)} is running and reachable from this machine",
    };

    /// <summary>Advice when the export deadline passed without an answer.</summary>
    public static string NoAnswer(Uri endpoint) =>
        $"{HostAndPort(endpoint)} accepted the request but did not answer in time; check that the server is healthy, " +
        "that nothing in between drops the traffic, or raise OTEL_EXPORTER_OTLP_TIMEOUT";

    /// <summary>Advice when the caller stopped waiting first (the batch processor's timeout, or the session's at exit).</summary>
    public static string StoppedWaiting(Uri endpoint) =>
        $"{HostAndPort(endpoint)} had not answered when the SDK stopped waiting (OTEL_BSP_EXPORT_TIMEOUT, or TracingOptions.ShutdownTimeout at exit); " +
        "check that the server is reachable and healthy";

    private const string Credentials =
        "the server wants credentials, or refused the ones sent; set them with OTEL_EXPORTER_OTLP_HEADERS (for example authorization=Bearer%20<token>)";

    private const string TooLarge =
        "the batch is larger than the server accepts; lower OTEL_BSP_MAX_EXPORT_BATCH_SIZE or raise the server's limit";

    private const string Overloaded =
        "the server (or a proxy in front of it) is overloaded or restarting; spans are retried while the export timeout allows, then dropped";

    private static string HostAndPort(Uri endpoint) => endpoint.Host + ":" + endpoint.Port.ToString(CultureInfo.InvariantCulture);

    /// <summary>What the well-known port is for, when the endpoint uses one for the wrong thing.</summary>
    private static string PortRole(Uri endpoint) => endpoint.Port switch
    {
        OtlpGrpcPort => $" ({OtlpGrpcPort} is the OTLP/gRPC port)",
        OtlpHttpPort => $" ({OtlpHttpPort} is the OTLP/HTTP port, which takes http/protobuf)",
        ThreadlineUiPort => $" ({ThreadlineUiPort} is Threadline's UI and query API port, not a receiver)",
        _ => string.Empty,
    };
}
