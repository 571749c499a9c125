using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Threadline.Core.Model;

namespace Threadline.Pipeline;

/// <summary>
/// The bounded queue between receivers and the pipeline's stages. Receivers hand over decoded
/// spans with <see cref="TryEnqueue"/>, which never blocks: it admits the spans or refuses them
/// at once when the queue is full, so that the receiver can answer 429 / RESOURCE_EXHAUSTED.
/// Worker tasks gather queued submissions into batches, hand each to the first
/// <see cref="IBatchConsumer"/> (which passes it down the stages to the store), and complete each
/// submission's ticket once the stages handled it. Every refusal and failure is counted in
/// <see cref="Statistics"/>.
/// </summary>
public sealed class IngestQueue : IAsyncDisposable
{
    private readonly IBatchConsumer _firstStage;
    private readonly int _maxQueuedSpans;
    private readonly int _maxSpansPerAppend;
    private readonly Channel<IngestTicket> _submissions;
    private readonly CancellationTokenSource _abandon = new();
    private readonly CancellationToken _abandonToken;
    private readonly Task[] _workers;

    private long _queuedSpans;
    private long _peakQueuedSpans;
    private long _acceptedSpans;
    private long _acceptedRequests;
    private long _rejectedSpans;
    private long _rejectedRequests;
    private long _consumedSpans;
    private long _failedAppends;
    private long _failedSpans;

    /// <summary>Creates the queue and starts its workers.</summary>
    /// <param name="firstStage">Where batches go: the first stage of the pipeline.</param>
    /// <param name="options">The queue's bounds.</param>
    /// <param name="meter">Where the queue reports <c>threadline_ingest_queue_*</c>; none when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public IngestQueue(IBatchConsumer firstStage, IngestQueueOptions options, Meter? meter = null)
    {
        ArgumentNullException.ThrowIfNull(firstStage);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _firstStage = firstStage;
        _maxQueuedSpans = options.MaxQueuedSpans;
        _maxSpansPerAppend = options.MaxSpansPerAppend;

        // Unbounded because the bound is on spans, not submissions, and is enforced by
        // TryEnqueue. Continuations stay asynchronous so that a worker never runs inline on a
        // receiver's thread inside TryEnqueue.
        _submissions = Channel.CreateUnbounded<IngestTicket>(new UnboundedChannelOptions
        {
            SingleReader = options.Workers == 1,
            AllowSynchronousContinuations = false,
        });
        _abandonToken = _abandon.Token;
        _workers = new Task[options.Workers];
        for (var i = 0; i < _workers.Length; i++) _workers[i] = Task.Run(RunWorkerAsync);
        if (meter is not null) Publish(meter);
    }

    /// <summary>The queue's counters: admitted, refused, handled and failed spans, and the queue's depth.</summary>
    public IngestStatistics Statistics => new(
        AcceptedSpans: Interlocked.Read(ref _acceptedSpans),
        AcceptedRequests: Interlocked.Read(ref _acceptedRequests),
        RejectedSpans: Interlocked.Read(ref _rejectedSpans),
        RejectedRequests: Interlocked.Read(ref _rejectedRequests),
        ConsumedSpans: Interlocked.Read(ref _consumedSpans),
        FailedAppends: Interlocked.Read(ref _failedAppends),
        FailedSpans: Interlocked.Read(ref _failedSpans),
        QueuedSpans: Interlocked.Read(ref _queuedSpans),
        PeakQueuedSpans: Interlocked.Read(ref _peakQueuedSpans));

    /// <summary>
    /// Admits <paramref name="spans"/> for storing, or returns null, without waiting, when the
    /// queue is full or stopping: the caller answers 429 / RESOURCE_EXHAUSTED (retryable). The
    /// queue takes the list as it is: do not change it afterwards.
    /// </summary>
    public IngestTicket? TryEnqueue(IReadOnlyList<Span> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var count = spans.Count;
        if (count == 0) return IngestTicket.Empty;

        if (TryReserve(count))
        {
            var ticket = new IngestTicket(spans);
            if (_submissions.Writer.TryWrite(ticket))
            {
                Interlocked.Add(ref _acceptedSpans, count);
                Interlocked.Increment(ref _acceptedRequests);
                return ticket;
            }

            // The writer is completed: the queue is stopping.
            Interlocked.Add(ref _queuedSpans, -count);
        }

        Interlocked.Add(ref _rejectedSpans, count);
        Interlocked.Increment(ref _rejectedRequests);
        return null;
    }

    /// <summary>
    /// Stops admitting submissions and waits until the stages have handled everything admitted.
    /// When <paramref name="cancellationToken"/> fires first, shutdown stops being graceful:
    /// the batch in progress is cancelled, the tickets still queued are cancelled (and counted
    /// as failed) without reaching the stages, and this returns without waiting.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _submissions.Writer.TryComplete();
        try
        {
            await Task.WhenAll(_workers).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await _abandon.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stops the queue and waits until the stages have handled every admitted submission.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _abandon.Dispose();
    }

    // Observable instruments read the counters above when scraped, so the hot path pays nothing extra.
    private void Publish(Meter meter)
    {
        meter.CreateObservableGauge("threadline_ingest_queue_spans", () => Interlocked.Read(ref _queuedSpans), "{span}",
            "Spans admitted and not yet handled by the pipeline (waiting or being written).");
        meter.CreateObservableGauge("threadline_ingest_queue_peak_spans", () => Interlocked.Read(ref _peakQueuedSpans), "{span}",
            "The most spans the queue has held at once since start.");
        meter.CreateObservableGauge("threadline_ingest_queue_capacity_spans", () => (long)_maxQueuedSpans, "{span}",
            "The queue's bound (Threadline:Ingest:MaxQueuedSpans); a request that would pass it is refused.");
        meter.CreateObservableCounter("threadline_ingest_queue_admitted_spans", () => Interlocked.Read(ref _acceptedSpans), "{span}",
            "Spans admitted into the queue.");
        meter.CreateObservableCounter("threadline_ingest_queue_admitted_requests", () => Interlocked.Read(ref _acceptedRequests), "{request}",
            "Requests admitted into the queue.");
        meter.CreateObservableCounter("threadline_ingest_queue_refused_spans", () => Interlocked.Read(ref _rejectedSpans), "{span}",
            "Spans refused because the queue was full or stopping (the sender was told to retry).");
        meter.CreateObservableCounter("threadline_ingest_queue_refused_requests", () => Interlocked.Read(ref _rejectedRequests), "{request}",
            "Requests refused because the queue was full or stopping.");
        meter.CreateObservableCounter("threadline_ingest_queue_consumed_spans", () => Interlocked.Read(ref _consumedSpans), "{span}",
            "Spans the pipeline's stages handled (stored, or dropped and counted).");
        meter.CreateObservableCounter("threadline_ingest_queue_failed_batches", () => Interlocked.Read(ref _failedAppends), "{batch}",
            "Batches a stage failed (the store threw); their senders were told to retry.");
        meter.CreateObservableCounter("threadline_ingest_queue_failed_spans", () => Interlocked.Read(ref _failedSpans), "{span}",
            "Admitted spans whose batch failed or was abandoned at shutdown.");
    }

    private bool TryReserve(int count)
    {
        var queued = Interlocked.Read(ref _queuedSpans);
        while (true)
        {
            var wanted = queued + count;
            if (wanted > _maxQueuedSpans && queued != 0) return false;
            var seen = Interlocked.CompareExchange(ref _queuedSpans, wanted, queued);
            if (seen == queued)
            {
                RaisePeak(wanted);
                return true;
            }
            queued = seen;
        }
    }

    private void RaisePeak(long queued)
    {
        var peak = Interlocked.Read(ref _peakQueuedSpans);
        while (queued > peak)
        {
            var seen = Interlocked.CompareExchange(ref _peakQueuedSpans, queued, peak);
            if (seen == peak) return;
            peak = seen;
        }
    }

    private async Task RunWorkerAsync()
    {
        var reader = _submissions.Reader;
        var batch = new List<IngestTicket>();

        // A submission read but left out of a full append; it opens the next one. Holding it
        // here rather than peeking keeps workers from racing for the same submission.
        IngestTicket? carried = null;
        while (carried is not null || await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var spanCount = 0;
            if (carried is not null)
            {
                batch.Add(carried);
                spanCount = carried.SpanCount;
                carried = null;
            }
            while (spanCount < _maxSpansPerAppend && reader.TryRead(out var next))
            {
                if (spanCount > 0 && spanCount + next.SpanCount > _maxSpansPerAppend)
                {
                    carried = next;
                    break;
                }
                batch.Add(next);
                spanCount += next.SpanCount;
            }

            // Another worker may have taken what this one was woken for.
            if (batch.Count == 0) continue;
            await AppendAsync(batch, spanCount).ConfigureAwait(false);
            batch.Clear();
        }
    }

    private async Task AppendAsync(List<IngestTicket> batch, int spanCount)
    {
        // Once shutdown has given up, what is still queued is let go without calling the stages.
        var abandoned = _abandonToken.IsCancellationRequested;
        Exception? failure = null;
        if (!abandoned)
        {
            try
            {
                await _firstStage.ConsumeAsync(Coalesce(batch, spanCount), _abandonToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_abandonToken.IsCancellationRequested)
            {
                abandoned = true;
            }
            catch (Exception exception)
            {
                failure = exception;
            }
        }

        // Released only now, after the stages answered, so that the bound covers spans being
        // appended as well as spans waiting.
        Interlocked.Add(ref _queuedSpans, -spanCount);

        if (abandoned)
        {
            Interlocked.Add(ref _failedSpans, spanCount);
            foreach (var ticket in batch) ticket.MarkAbandoned(_abandonToken);
        }
        else if (failure is not null)
        {
            Interlocked.Increment(ref _failedAppends);
            Interlocked.Add(ref _failedSpans, spanCount);
            foreach (var ticket in batch) ticket.MarkFailed(failure);
        }
        else
        {
            Interlocked.Add(ref _consumedSpans, spanCount);
            foreach (var ticket in batch) ticket.MarkStored();
        }
    }

    private static IReadOnlyList<Span> Coalesce(List<IngestTicket> batch, int spanCount)
    {
        if (batch.Count == 1) return batch[0].Spans;
        var spans = new Span[spanCount];
        var offset = 0;
        foreach (var ticket in batch)
        {
            var ticketSpans = ticket.Spans;
            for (var i = 0; i < ticket.SpanCount; i++) spans[offset++] = ticketSpans[i];
        }
        return spans;
    }
}
