using Microsoft.AspNetCore.Http;
using Threadline.Pipeline.Ingest;

namespace Threadline.Server.Receivers.Http;

/// <summary>
/// How the OTLP/HTTP receiver answers an ingest outcome: the HTTP status, the google.rpc.Code of
/// the Status body of a refusal, and whether the answer carries Retry-After and RetryInfo.
/// </summary>
internal readonly record struct OtlpHttpIngestAnswer(int StatusCode, int RpcCode, bool RetryHint)
{
    // google.rpc.Code values.
    private const int Ok = 0;
    private const int ResourceExhausted = 8;
    private const int Unavailable = 14;

    /// <summary>The one place the OTLP/HTTP receiver decides this.</summary>
    public static OtlpHttpIngestAnswer For(IngestOutcome outcome) => outcome switch
    {
        IngestOutcome.Accepted => new(StatusCodes.Status200OK, Ok, RetryHint: false),
        IngestOutcome.Overloaded => new(StatusCodes.Status429TooManyRequests, ResourceExhausted, RetryHint: true),
        IngestOutcome.StoreFailed => new(StatusCodes.Status503ServiceUnavailable, Unavailable, RetryHint: true),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "An ingest outcome the OTLP/HTTP receiver has no answer for."),
    };
}
