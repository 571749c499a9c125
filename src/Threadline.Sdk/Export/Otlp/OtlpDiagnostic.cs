namespace Threadline.Sdk.Export.Otlp;

/// <summary>What an <see cref="OtlpDiagnostic"/> is about.</summary>
public enum OtlpDiagnosticKind
{
    /// <summary>An environment variable or option was ignored; the message says which and why.</summary>
    InvalidConfiguration,

    /// <summary>
    /// The server accepted the batch but rejected some spans (<see cref="OtlpDiagnostic.RejectedSpans"/>).
    /// The export counts as a success: the spec forbids resending them.
    /// </summary>
    PartialSuccess,

    /// <summary>An attempt failed with a retryable answer; the next waits <see cref="OtlpDiagnostic.RetryDelay"/>.</summary>
    RetryScheduled,

    /// <summary>The batch was not delivered: a permanent error, attempts or time ran out, or the exporter is shut down.</summary>
    ExportFailed,
}

/// <summary>One event reported through <see cref="OtlpExporterOptions.OnDiagnostic"/>.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Message">A sentence for a log: what, where (endpoint, status) and what to do.</param>
public sealed record OtlpDiagnostic(OtlpDiagnosticKind Kind, string Message)
{
    /// <summary>Spans the server rejected (for <see cref="OtlpDiagnosticKind.PartialSuccess"/>).</summary>
    public long RejectedSpans { get; init; }

    /// <summary>The attempt this is about, counting from 1; 0 when not about an attempt.</summary>
    public int Attempt { get; init; }

    /// <summary>The wait before the next attempt (for <see cref="OtlpDiagnosticKind.RetryScheduled"/>).</summary>
    public TimeSpan? RetryDelay { get; init; }

    /// <summary>The HTTP status of the answer, when there was one.</summary>
    public int? HttpStatusCode { get; init; }

    /// <summary>The gRPC status code of the answer, when there was one.</summary>
    public int? GrpcStatusCode { get; init; }

    /// <summary>
    /// For <see cref="OtlpDiagnosticKind.ExportFailed"/> and <see cref="OtlpDiagnosticKind.RetryScheduled"/>:
    /// what to check (the port for the protocol, the host name, credentials, ...), also at the end of
    /// <see cref="Message"/>. Null when there is nothing specific to say.
    /// </summary>
    public string? Advice { get; init; }
}
