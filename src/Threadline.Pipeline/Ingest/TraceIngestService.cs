using Microsoft.Extensions.Logging;
using Threadline.Protocol;

namespace Threadline.Pipeline.Ingest;

/// <summary>
/// The one place spans enter the backend for one protocol. Receivers decode and hand over; this
/// service queues the spans, waits until the pipeline has handled them (the store has them), and
/// says what the receiver should answer. It counts every request and span by outcome. It knows
/// nothing of HTTP or gRPC.
/// </summary>
public sealed class TraceIngestService
{
    private readonly IngestQueue _queue;
    private readonly ReceiverMetrics _metrics;
    private readonly DroppedSpans _dropped;
    private readonly string _protocol;
    private readonly ILogger<TraceIngestService> _logger;

    /// <param name="queue">Where the spans go.</param>
    /// <param name="protocol">The receiver's protocol, as counted (<see cref="ReceiverMetrics.OtlpGrpc"/> and so on).</param>
    /// <param name="metrics">The receiver counters.</param>
    /// <param name="dropped">Counts spans the decoder refused.</param>
    /// <param name="retryAfter">What clients are told to wait before retrying a refused batch.</param>
    /// <param name="logger">Logs store failures.</param>
    public TraceIngestService(IngestQueue queue, string protocol, ReceiverMetrics metrics, DroppedSpans dropped, TimeSpan retryAfter, ILogger<TraceIngestService> logger)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentException.ThrowIfNullOrEmpty(protocol);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(dropped);
        ArgumentNullException.ThrowIfNull(logger);
        _queue = queue;
        _protocol = protocol;
        _metrics = metrics;
        _dropped = dropped;
        RetryAfter = retryAfter;
        _logger = logger;
    }

    /// <summary>What clients are told to wait before retrying a refused batch.</summary>
    public TimeSpan RetryAfter { get; }

    /// <summary>
    /// Queues the valid spans of <paramref name="decoded"/> and completes once the pipeline
    /// handled them, or as soon as it is known they will not be kept. Cancelling stops the wait,
    /// not the write: spans already queued are still handled.
    /// </summary>
    public async Task<IngestResult> IngestAsync(DecodedSpans decoded, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decoded);
        _metrics.Spans(_protocol, "invalid", decoded.RejectedSpans);
        _dropped.Add(DroppedSpans.Invalid, decoded.RejectedSpans);

        var spans = decoded.Spans;
        var ticket = _queue.TryEnqueue(spans);
        if (ticket is null)
        {
            Count(IngestOutcome.Overloaded, spans.Count);
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
            Count(IngestOutcome.StoreFailed, spans.Count);
            return Result(IngestOutcome.StoreFailed, decoded,
                $"The store failed to accept the spans; retry after {RetryAfter.TotalSeconds:0.###} s.");
        }
        // A request whose every span was refused by the decoder kept nothing: count it as invalid.
        if (spans.Count == 0 && decoded.RejectedSpans > 0) _metrics.Request(_protocol, "invalid");
        else Count(IngestOutcome.Accepted, spans.Count);
        return Result(IngestOutcome.Accepted, decoded, decoded.ErrorMessage);
    }

    /// <summary>Counts a request a receiver refused before decoding any span.</summary>
    public void RecordRefusal(RequestRefusal reason) => _metrics.Request(_protocol, reason switch
    {
        RequestRefusal.Malformed => "malformed",
        RequestRefusal.TooLarge => "too_large",
        _ => "unsupported",
    });

    private void Count(IngestOutcome outcome, int spanCount)
    {
        var label = outcome switch
        {
            IngestOutcome.Accepted => "accepted",
            IngestOutcome.Overloaded => "overloaded",
            _ => "store_failed",
        };
        _metrics.Request(_protocol, label);
        _metrics.Spans(_protocol, label, spanCount);
    }

    private IngestResult Result(IngestOutcome outcome, DecodedSpans decoded, string? message) =>
        new(outcome, decoded.RejectedSpans, message, RetryAfter);
}
