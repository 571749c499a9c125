namespace Threadline.Server.Ingest;

/// <summary>
/// Counts what the receivers refused before the ingest queue saw it, so that nothing is dropped
/// silently. (What the queue refuses or the store fails is counted by the queue itself.) Visible
/// through <c>GET /api/v1/status</c>.
/// </summary>
public sealed class ReceiverStatistics
{
    private long _invalidSpans;
    private long _malformedRequests;
    private long _tooLargeRequests;
    private long _unsupportedRequests;
    private long _discardedSpans;

    internal void SpansRejectedInvalid(int count) => Interlocked.Add(ref _invalidSpans, count);

    internal void SpansDiscarded(int count) => Interlocked.Add(ref _discardedSpans, count);

    internal void RequestRefused(RequestRefusal reason)
    {
        switch (reason)
        {
            case RequestRefusal.Malformed: Interlocked.Increment(ref _malformedRequests); break;
            case RequestRefusal.TooLarge: Interlocked.Increment(ref _tooLargeRequests); break;
            case RequestRefusal.Unsupported: Interlocked.Increment(ref _unsupportedRequests); break;
        }
    }

    /// <summary>The counters now. Each is read atomically; together they are close to, not exactly, one instant.</summary>
    public ReceiverStatisticsSnapshot Snapshot() => new(
        InvalidSpans: Interlocked.Read(ref _invalidSpans),
        MalformedRequests: Interlocked.Read(ref _malformedRequests),
        TooLargeRequests: Interlocked.Read(ref _tooLargeRequests),
        UnsupportedRequests: Interlocked.Read(ref _unsupportedRequests),
        DiscardedSpans: Interlocked.Read(ref _discardedSpans));
}

/// <summary>Receiver counters since start.</summary>
/// <param name="InvalidSpans">Spans refused by a decoder (invalid trace or span id), reported to the client as partial success.</param>
/// <param name="MalformedRequests">Requests refused as undecodable (400 / INVALID_ARGUMENT).</param>
/// <param name="TooLargeRequests">Requests refused for size (413 / RESOURCE_EXHAUSTED).</param>
/// <param name="UnsupportedRequests">Requests refused for their content type or encoding (415 / UNIMPLEMENTED).</param>
/// <param name="DiscardedSpans">Spans acknowledged and deliberately not stored because the server runs in the decode-only benchmarking mode.</param>
public readonly record struct ReceiverStatisticsSnapshot(
    long InvalidSpans,
    long MalformedRequests,
    long TooLargeRequests,
    long UnsupportedRequests,
    long DiscardedSpans);
