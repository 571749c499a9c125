using System.Diagnostics;
using Threadline.Sdk.Diagnostics;
using Threadline.Sdk.Export;

namespace Threadline.Sdk.Processing;

/// <summary>
/// Queues ended, sampled spans and exports them in batches from a background loop: when a batch is full,
/// when <see cref="BatchExportOptions.ScheduledDelay"/> has passed, on <see cref="ForceFlushAsync"/> and on
/// shutdown. Ending a span never waits for the exporter: when the queue is full the span is dropped, and
/// the drop is counted (<see cref="DroppedSpans"/> and the "spans-dropped" counter of the Threadline-Sdk
/// event source).
/// </summary>
public sealed class BatchSpanProcessor : SpanProcessor
{
    private static readonly object LiveLock = new();
    private static readonly List<BatchSpanProcessor> Live = [];

    private readonly SpanExporter _exporter;
    private readonly string _exporterName;
    private readonly BatchExportOptions _options;
    private readonly SpanQueue _queue;
    private readonly ActivityBatch _batch;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _flushLock = new();
    private readonly List<FlushRequest> _flushRequests = [];
    private readonly Task _exportLoop;
    private CancellationTokenSource _exportTimeout = new();
    private long _dropped;
    private long _droppedReported;
    private int _wakeRequested;
    private int _shutdownStarted;

    /// <param name="exporter">Where batches go. The processor owns it and shuts it down on shutdown.</param>
    /// <param name="options">Queue and batch sizes and delays; defaults when null.</param>
    public BatchSpanProcessor(SpanExporter exporter, BatchExportOptions? options = null)
    {
        _exporter = exporter ?? throw new ArgumentNullException(nameof(exporter));
        _exporterName = exporter.GetType().Name;
        _options = (options ?? new BatchExportOptions()).Clone();
        // A batch larger than the queue could never fill, so it would only go out on the timer.
        var batchSize = Math.Min(_options.MaxExportBatchSize, _options.MaxQueueSize);
        _queue = new SpanQueue(_options.MaxQueueSize);
        _batch = new ActivityBatch(batchSize);
        lock (LiveLock) Live.Add(this);
        _exportLoop = Task.Run(ExportLoopAsync);
    }

    /// <summary>The exporter batches are sent to.</summary>
    public SpanExporter Exporter => _exporter;

    /// <summary>Spans dropped because the queue was full or the processor was shut down.</summary>
    public long DroppedSpans => Volatile.Read(ref _dropped);

    /// <summary>Spans waiting for export.</summary>
    public int QueueLength => _queue.Count;

    internal static long TotalQueueLength
    {
        get
        {
            long total = 0;
            lock (LiveLock)
            {
                foreach (var processor in Live) total += processor.QueueLength;
            }
            return total;
        }
    }

    /// <inheritdoc />
    public override void OnEnd(Activity activity)
    {
        if (!activity.Recorded) return;
        var queued = Volatile.Read(ref _shutdownStarted) == 0 ? _queue.TryAdd(activity) : 0;
        if (queued == 0)
        {
            Interlocked.Increment(ref _dropped);
            SdkEventSource.Log.AddDropped(1);
            return;
        }
        // One wake-up per batch: the flag keeps every later span of the same batch from signalling again.
        if (queued >= _batch.Capacity && Volatile.Read(ref _wakeRequested) == 0 && Interlocked.Exchange(ref _wakeRequested, 1) == 0) _wake.Release();
    }

    /// <summary>
    /// Exports every span queued before the call, then flushes the exporter. Returns false when
    /// <paramref name="cancellationToken"/> fired first (the export goes on in the background).
    /// </summary>
    public override async Task<bool> ForceFlushAsync(CancellationToken cancellationToken)
    {
        if (_exportLoop.IsCompleted) return await _exporter.ForceFlushAsync(cancellationToken).ConfigureAwait(false);
        var request = new FlushRequest(_queue.AddedPosition);
        lock (_flushLock) _flushRequests.Add(request);
        _wake.Release();
        try
        {
            await request.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return await _exporter.ForceFlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Stops accepting spans, exports what is queued, and shuts the exporter down.</summary>
    public override async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _shutdownStarted, 1) == 0) await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _exportLoop.WaitAsync(cancellationToken).ConfigureAwait(false);
            await _exporter.ShutdownAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (LiveLock) Live.Remove(this);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (LiveLock) Live.Remove(this);
            if (Interlocked.Exchange(ref _shutdownStarted, 1) == 0) _stopping.Cancel();
            // Disposed without ShutdownAsync: give the loop its usual time to send what is queued, but no more.
            if (_exportLoop.Wait(_options.ExportTimeout))
            {
                _wake.Dispose();
                _exportTimeout.Dispose();
                _stopping.Dispose();
            }
            _exporter.Dispose();
        }
        base.Dispose(disposing);
    }

    private async Task ExportLoopAsync()
    {
        var stopping = _stopping.Token;
        while (true)
        {
            var delayPassed = false;
            if (!stopping.IsCancellationRequested && _queue.Count < _batch.Capacity && !HasFlushRequests())
            {
                try
                {
                    delayPassed = !await _wake.WaitAsync(_options.ScheduledDelay, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Shutdown: fall through and export what is left.
                }
            }
            Volatile.Write(ref _wakeRequested, 0);

            // Full batches go at once. A partial one goes only when the delay has passed or a flush or
            // shutdown asks, and then only what was queued by that moment: draining until the queue is
            // empty would chase the application's threads under steady load, exporting a span or two
            // at a time and bouncing the queue's memory between cores on every span.
            var drainTo = delayPassed || stopping.IsCancellationRequested || HasFlushRequests() ? _queue.AddedPosition : 0;
            while (_queue.Count >= _batch.Capacity || (_queue.TakenPosition < drainTo && _queue.Count > 0))
            {
                await ExportBatchAsync().ConfigureAwait(false);
                // A flush waits for the spans that ended before it, not for the whole drain.
                CompleteFlushRequests(_queue.TakenPosition);
            }
            CompleteFlushRequests(_queue.TakenPosition);
            ReportDrops();

            if (stopping.IsCancellationRequested && _queue.Count == 0)
            {
                CompleteFlushRequests(long.MaxValue);
                return;
            }
        }
    }

    private async Task ExportBatchAsync()
    {
        _queue.TakeInto(_batch);
        var count = _batch.Count;
        if (count == 0) return;
        if (!_exportTimeout.TryReset())
        {
            _exportTimeout.Dispose();
            _exportTimeout = new CancellationTokenSource();
        }
        _exportTimeout.CancelAfter(_options.ExportTimeout);
        try
        {
            var result = await _exporter.ExportAsync(_batch, _exportTimeout.Token).ConfigureAwait(false);
            if (result == ExportResult.Success) SdkEventSource.Log.AddExported(count);
            else SdkEventSource.Log.ExportFailed(_exporterName, "the exporter reported failure for " + count + " span(s)");
        }
        catch (Exception exception)
        {
            SdkEventSource.Log.ExportFailed(_exporterName, exception);
        }
        finally
        {
            _batch.Clear();
        }
    }

    private bool HasFlushRequests()
    {
        lock (_flushLock) return _flushRequests.Count > 0;
    }

    private void CompleteFlushRequests(long takenPosition)
    {
        lock (_flushLock)
        {
            for (var i = _flushRequests.Count - 1; i >= 0; i--)
            {
                if (_flushRequests[i].Position > takenPosition) continue;
                _flushRequests[i].Completion.TrySetResult();
                _flushRequests.RemoveAt(i);
            }
        }
    }

    private void ReportDrops()
    {
        var dropped = Volatile.Read(ref _dropped);
        if (dropped == _droppedReported) return;
        var newlyDropped = dropped - _droppedReported;
        _droppedReported = dropped;
        if (SdkEventSource.Log.IsEnabled()) SdkEventSource.Log.SpansDropped(nameof(BatchSpanProcessor) + "(" + _exporterName + ")", newlyDropped, "the queue was full");
    }

    private sealed class FlushRequest(long position)
    {
        public long Position { get; } = position;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
