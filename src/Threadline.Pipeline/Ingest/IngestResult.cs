namespace Threadline.Pipeline.Ingest;

/// <summary>What became of a batch handed to <see cref="TraceIngestService"/>.</summary>
public enum IngestOutcome
{
    /// <summary>The store accepted every valid span of the batch (there may have been none).</summary>
    Accepted,

    /// <summary>The ingest queue was full (or stopping); nothing was kept. The client should retry later.</summary>
    Overloaded,

    /// <summary>The store failed to keep the batch; nothing is acknowledged. The client should retry later.</summary>
    StoreFailed,
}

/// <summary>The outcome of one ingest call and what a receiver needs to answer it.</summary>
/// <param name="Outcome">Whether the spans were kept.</param>
/// <param name="RejectedSpans">Spans the decoder refused (invalid ids); reported as partial success.</param>
/// <param name="Message">Why spans were refused or the batch failed; null when everything was kept.</param>
/// <param name="RetryAfter">How long the client should wait before retrying, for the failure outcomes.</param>
public readonly record struct IngestResult(IngestOutcome Outcome, int RejectedSpans, string? Message, TimeSpan RetryAfter);
