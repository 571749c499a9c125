using System.Globalization;

namespace Threadline.Sdk.Export.Otlp.Transport;

/// <summary>The gRPC status codes the exporter distinguishes, and OTLP's retry rules for them.</summary>
internal static class GrpcStatus
{
    public const int Ok = 0;
    public const int Cancelled = 1;
    public const int Unknown = 2;
    public const int InvalidArgument = 3;
    public const int DeadlineExceeded = 4;
    public const int NotFound = 5;
    public const int PermissionDenied = 7;
    public const int ResourceExhausted = 8;
    public const int Aborted = 10;
    public const int OutOfRange = 11;
    public const int Unimplemented = 12;
    public const int Internal = 13;
    public const int Unavailable = 14;
    public const int DataLoss = 15;
    public const int Unauthenticated = 16;

    /// <summary>
    /// The OTLP specification's retryable codes. RESOURCE_EXHAUSTED only with RetryInfo: without it
    /// the server is saying the request is too large, and resending will not help.
    /// </summary>
    public static bool IsRetryable(int code, bool hasRetryInfo) =>
        code switch
        {
            Cancelled or DeadlineExceeded or Aborted or OutOfRange or Unavailable or DataLoss => true,
            ResourceExhausted => hasRetryInfo,
            _ => false,
        };

    /// <summary>gRPC's mapping for an HTTP answer that carries no grpc-status.</summary>
    public static int FromHttpStatus(int httpStatus) =>
        httpStatus switch
        {
            400 => Internal,
            401 => Unauthenticated,
            403 => PermissionDenied,
            404 => Unimplemented,
            429 or 502 or 503 or 504 => Unavailable,
            _ => Unknown,
        };

    public static string Name(int code) =>
        code switch
        {
            Ok => "OK",
            Cancelled => "CANCELLED",
            Unknown => "UNKNOWN",
            InvalidArgument => "INVALID_ARGUMENT",
            DeadlineExceeded => "DEADLINE_EXCEEDED",
            NotFound => "NOT_FOUND",
            6 => "ALREADY_EXISTS",
            PermissionDenied => "PERMISSION_DENIED",
            ResourceExhausted => "RESOURCE_EXHAUSTED",
            9 => "FAILED_PRECONDITION",
            Aborted => "ABORTED",
            OutOfRange => "OUT_OF_RANGE",
            Unimplemented => "UNIMPLEMENTED",
            Internal => "INTERNAL",
            Unavailable => "UNAVAILABLE",
            DataLoss => "DATA_LOSS",
            Unauthenticated => "UNAUTHENTICATED",
            _ => "status " + code.ToString(CultureInfo.InvariantCulture),
        };
}
