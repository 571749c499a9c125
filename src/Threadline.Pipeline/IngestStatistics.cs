namespace Threadline.Pipeline;

/// <summary>
/// Counters of an <see cref="IngestQueue"/> since it was created, for self-metrics. Each counter
/// is exact; they are read one after another, so two counters may straddle a submission.
/// </summary>
/// <param name="AcceptedSpans">Spans admitted into the queue.</param>
/// <param name="AcceptedRequests">Submissions admitted into the queue.</param>
/// <param name="RejectedSpans">Spans refused because the queue was full or stopping.</param>
/// <param name="RejectedRequests">Submissions refused because the queue was full or stopping.</param>
/// <param name="ConsumedSpans">Spans the pipeline's stages handled: stored, or dropped and counted by a stage.</param>
/// <param name="FailedAppends">Batches the stages failed (a store append threw).</param>
/// <param name="FailedSpans">Admitted spans whose ticket faulted (stage or store failure) or was cancelled (shutdown gave up).</param>
/// <param name="QueuedSpans">Spans admitted and not yet handled or failed by the stages.</param>
/// <param name="PeakQueuedSpans">The highest <paramref name="QueuedSpans"/> has been.</param>
public readonly record struct IngestStatistics(
    long AcceptedSpans,
    long AcceptedRequests,
    long RejectedSpans,
    long RejectedRequests,
    long ConsumedSpans,
    long FailedAppends,
    long FailedSpans,
    long QueuedSpans,
    long PeakQueuedSpans);
