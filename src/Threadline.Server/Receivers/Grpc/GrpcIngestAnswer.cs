using Threadline.Protocol.Grpc;
using Threadline.Pipeline.Ingest;

namespace Threadline.Server.Receivers.Grpc;

/// <summary>How the OTLP/gRPC receiver answers an ingest outcome: the gRPC status, and whether it carries RetryInfo.</summary>
internal readonly record struct GrpcIngestAnswer(GrpcStatusCode Status, bool RetryHint)
{
    /// <summary>The one place the gRPC receiver decides this; a failure the client should retry always says when.</summary>
    public static GrpcIngestAnswer For(IngestOutcome outcome) => outcome switch
    {
        IngestOutcome.Accepted => new(GrpcStatusCode.Ok, RetryHint: false),
        IngestOutcome.Overloaded => new(GrpcStatusCode.ResourceExhausted, RetryHint: true),
        IngestOutcome.StoreFailed => new(GrpcStatusCode.Unavailable, RetryHint: true),
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "An ingest outcome the gRPC receiver has no answer for."),
    };
}
