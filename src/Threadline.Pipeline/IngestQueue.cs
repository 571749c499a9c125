using System.Threading.Channels;
using Threadline.Core.Model;
using Threadline.Storage;

namespace Threadline.Pipeline;

/// <summary>
/// The bounded queue between receivers and the store. Receivers hand over decoded spans with
/// <see cref="TryEnqueue"/>, which never blocks: it admits the spans or refuses them at once
/// when the queue is full, so that the receiver can answer 429 / RESOURCE_EXHAUSTED. Worker
/// tasks gather queued submissions into store appends and complete each submission's ticket
/// once the store accepted it. Every refusal and failure is counted in <see cref="Statistics"/>.
/// </summary>
public sealed class IngestQueue : IAsyncDisposable
{
    private readonly ITraceStore _store;
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
    private long _storedSpans;
    private long _failedAppends;
    private long _failedSpans;

    /// <summary>Creates the queue and starts its workers.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public IngestQueue(ITraceStore store, IngestQueueOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _store = store;
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
    }

    /// <summary>The queue's counters: admitted, refused, stored and failed spans, and the queue's depth.</summary>
    public IngestStatistics Statistics => new(
        AcceptedSpans: Interlocked.Read(ref _acceptedSpans),
        AcceptedRequests: Interlocked.Read(ref _acceptedRequests),
        RejectedSpans: Interlocked.Read(ref _rejectedSpans),
        RejectedRequests: Interlocked.Read(ref _rejectedRequests),
        StoredSpans: Interlocked.Read(ref _storedSpans),
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
    /// Stops admitting submissions and waits until everything admitted has reached the store.
    /// When <paramref name="cancellationToken"/> fires first, shutdown stops being graceful:
    /// the store append in progress is cancelled, the tickets still queued are cancelled
    /// (and counted as failed) without reaching the store, and this returns without waiting.
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

    /// <summary>Stops the queue and waits for every admitted submission to reach the store.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _abandon.Dispose();
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
        // Once shutdown has given up, what is still queued is let go without calling the store.
        var abandoned = _abandonToken.IsCancellationRequested;
        Exception? failure = null;
        if (!abandoned)
        {
            try
            {
                await _store.AppendAsync(Coalesce(batch, spanCount), _abandonToken).ConfigureAwait(false);
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

        // Released only now, after the store answered, so that the bound covers spans being
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
            Interlocked.Add(ref _storedSpans, spanCount);
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
