using Microsoft.AspNetCore.Http;
using Threadline.Pipeline.Ingest;

namespace Threadline.Server.Receivers.Zipkin;

/// <summary>How the Zipkin receiver answers an ingest outcome: the HTTP status, and whether it carries Retry-After.</summary>
internal readonly record struct ZipkinIngestAnswer(int StatusCode, bool RetryHint)
{
    /// <summary>The one place the Zipkin receiver decides this; 202 is what a Zipkin server answers a stored list with.</summary>
    public static ZipkinIngestAnswer For(IngestOutcome outcome) => outcome switch
    {
        IngestOutcome.Accepted => new(StatusCodes.Status202Accepted, RetryHint: false),
        IngestOutcome.Overloaded => new(StatusCodes.Status429TooManyRequests, RetryHint: true),
        IngestOutcome.StoreFailed => new(StatusCodes.Status503ServiceUnavailable, RetryHint: true),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "An ingest outcome the Zipkin receiver has no answer for."),
    };
}
