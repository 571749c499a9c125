using Microsoft.Extensions.Logging;
using Threadline.Pipeline;
using Threadline.Protocol;

namespace Threadline.Server.Ingest;

/// <summary>
/// The one place spans enter the backend, whatever protocol brought them. Receivers decode and
/// hand over; this service queues the spans, waits until the store has them, and says what the
/// receiver should answer. It knows nothing of HTTP or gRPC.
/// </summary>
public sealed class TraceIngestService
{
    private readonly IngestQueue _queue;
    private readonly ILogger<TraceIngestService> _logger;

    private readonly bool _decodeOnly;

    public TraceIngestService(IngestQueue queue, ReceiverStatistics statistics, TimeSpan retryAfter, ILogger<TraceIngestService> logger, bool decodeOnly = false)
    {
        _queue = queue;
        _decodeOnly = decodeOnly;
        Statistics = statistics;
        RetryAfter = retryAfter;
        _logger = logger;
    }

    /// <summary>What clients are told to wait before retrying a refused batch.</summary>
    public TimeSpan RetryAfter { get; }

    /// <summary>The counters of requests refused before reaching the queue.</summary>
    public ReceiverStatistics Statistics { get; }

    /// <summary>
    /// Queues the valid spans of <paramref name="decoded"/> and completes once the store accepted
    /// them, or as soon as it is known they will not be kept. Cancelling stops the wait, not the
    /// write: spans already queued are still stored.
    /// </summary>
    public async Task<IngestResult> IngestAsync(DecodedSpans decoded, CancellationToken cancellationToken)
    {
        if (decoded.RejectedSpans > 0)
            Statistics.SpansRejectedInvalid(decoded.RejectedSpans);

        var spans = decoded.Spans;
        if (_decodeOnly)
        {
            Statistics.SpansDiscarded(spans.Count);
            return Result(IngestOutcome.Accepted, decoded, decoded.ErrorMessage);
        }

        var ticket = _queue.TryEnqueue(spans);
        if (ticket is null)
        {
            return Result(IngestOutcome.Overloaded, decoded,
                $"The ingest queue is full; {spans.Count} spans were not accepted. Retry after {RetryAfter.TotalSeconds:0.###} s.");
        }

        try
        {
            await ticket.Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A faulted ticket is a store failure; a cancelled one means shutdown gave up on it.
            _logger.LogWarning(ex, "The store did not accept a batch of {SpanCount} spans", spans.Count);
            return Result(IngestOutcome.StoreFailed, decoded,
                $"The store failed to accept the spans; retry after {RetryAfter.TotalSeconds:0.###} s.");
        }
        return Result(IngestOutcome.Accepted, decoded, decoded.ErrorMessage);
    }

    /// <summary>Counts a request a receiver refused before decoding any span.</summary>
    public void RecordRefusal(RequestRefusal reason) => Statistics.RequestRefused(reason);

    private IngestResult Result(IngestOutcome outcome, DecodedSpans decoded, string? message) =>
        new(outcome, decoded.RejectedSpans, message, RetryAfter);
}
