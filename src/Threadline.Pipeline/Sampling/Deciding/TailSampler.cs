using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using System.Diagnostics.Metrics;
using Threadline.Core.Model;
using Threadline.Pipeline.Limits;
using Threadline.Pipeline.Sampling.Config;
using Threadline.Pipeline.Sampling.Policies;
using Threadline.Storage;

namespace Threadline.Pipeline.Sampling.Deciding;

/// <summary>
/// The tail-sampling stage: holds the spans of each trace until its decision is due, decides
/// with the policies, passes kept spans (marked with <see cref="KeptSpan"/>) to the next stage
/// and hands dropped ones to <see cref="ITraceStore.RecordAggregatesAsync"/>, so span metrics and
/// the service graph count every span while storage keeps only the sample.
/// </summary>
/// <remarks>
/// <para>
/// A decision is due when the root has arrived plus <see cref="TailSamplingSettings.SettleDelay"/>,
/// or <see cref="TailSamplingSettings.DecisionWait"/> after the first span for a trace whose root
/// never comes; at once when a trace reaches the per-trace span or byte cap; and, oldest first,
/// when the bytes (or traces) held reach the cap, so memory stays bounded and nothing is dropped
/// undecided. Every decision is counted by why it was made then.
/// </para>
/// <para>
/// Acknowledgement: a batch is acknowledged once its spans are held (or, for traces already
/// decided, stored / counted). Held spans live in memory only: with the memory engine that is
/// as durable as the store; with the embedded engine, spans held at a crash are lost (see
/// docs/sampling.md). Kept spans the store refuses after acknowledgement are counted in
/// <c>threadline_sampling_emit_failures</c> and logged.
/// </para>
/// </remarks>
public sealed class TailSampler : IBatchConsumer, IAsyncDisposable
{
    private readonly TailSamplingSettings _settings;
    private readonly PolicyCombiner _combiner;
    private readonly IBatchConsumer _next;
    private readonly ITraceStore _aggregates;
    private readonly DroppedSpans _dropped;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SamplingMetrics _metrics;

    private readonly Lock _lock = new();
    private readonly Dictionary<TraceId, HeldTrace> _held = [];
    private readonly PriorityQueue<HeldTrace, long> _dueOrder = new();
    private readonly Queue<HeldTrace> _arrivalOrder = new();
    private readonly DecisionCache _cache;
    private long _heldBytes;
    private long _heldSpans;
    private long _peakHeldBytes;

    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private int _disposed;

    /// <param name="settings">Timing, caps and cache sizes.</param>
    /// <param name="policies">The policies, in file order.</param>
    /// <param name="next">Where kept spans go (the store writer).</param>
    /// <param name="aggregates">Where dropped spans are counted in span metrics without being stored.</param>
    /// <param name="dropped">Counts dropped spans as <c>threadline_spans_dropped_total{reason="tail_sampling"}</c>.</param>
    /// <param name="meter">Where <c>threadline_sampling_*</c> are reported; none when null.</param>
    /// <param name="time">The clock decisions are timed by; the system clock when null.</param>
    /// <param name="logger">Logs store failures after acknowledgement.</param>
    /// <param name="decideInBackground">
    /// Whether a background loop decides due traces; tests turn it off and call <see cref="DecideDueAsync"/>.
    /// </param>
    public TailSampler(
        TailSamplingSettings settings, IReadOnlyList<ISamplingPolicy> policies, IBatchConsumer next, ITraceStore aggregates, DroppedSpans dropped,
        Meter? meter = null, TimeProvider? time = null, ILogger? logger = null, bool decideInBackground = true)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(aggregates);
        ArgumentNullException.ThrowIfNull(dropped);
        _settings = settings;
        _combiner = new PolicyCombiner(policies, settings.SampleOnFirstMatch);
        _next = next;
        _aggregates = aggregates;
        _dropped = dropped;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _cache = new DecisionCache(settings.SampledCacheSize, settings.NotSampledCacheSize);
        _metrics = new SamplingMetrics(meter, () => Read(ref _heldBytes), () => Read(ref _peakHeldBytes), () => Count(() => _held.Count), () => Read(ref _heldSpans), () => Count(() => _cache.Count));
        _loop = decideInBackground ? Task.Run(DecideLoopAsync) : Task.CompletedTask;
    }

    /// <summary>Bytes of undecided spans held now.</summary>
    public long HeldBytes => Read(ref _heldBytes);

    /// <summary>The most bytes held at once since start.</summary>
    public long PeakHeldBytes => Read(ref _peakHeldBytes);

    /// <summary>Undecided spans held now.</summary>
    public long HeldSpans => Read(ref _heldSpans);

    /// <summary>Undecided traces held now.</summary>
    public int HeldTraces => (int)Count(() => _held.Count);

    /// <inheritdoc />
    public async ValueTask ConsumeAsync(IReadOnlyList<Span> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var kept = new List<Span>();
        var dropped = new List<Span>();
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            HeldTrace? trace = null;
            foreach (var span in batch)
            {
                if (trace is null || trace.TraceId != span.TraceId) trace = Find(span.TraceId, now, kept, dropped, span);
                if (trace is null) continue;
                if (trace.Released)
                {
                    // Decided early (a cap) earlier in this batch: the rest of its spans follow that decision.
                    Follow(span, trace.Decision!, kept, dropped);
                    continue;
                }
                Hold(trace, span, now);
                var cap = trace.Spans.Count >= _settings.MaxSpansPerTrace ? SamplingMetrics.SpanCap
                    : trace.Bytes >= _settings.MaxBytesPerTrace ? SamplingMetrics.TraceByteCap : null;
                if (cap is not null) Decide([(Release(trace), cap)], kept, dropped);
                // Span by span, so what is held never passes the cap by more than the span just added.
                while (_heldBytes > _settings.MaxHeldBytes || (_settings.MaxTraces is { } max && _held.Count > max))
                {
                    var reason = _heldBytes > _settings.MaxHeldBytes ? SamplingMetrics.MemoryCap : SamplingMetrics.TraceCountCap;
                    if (!TryTakeOldest(out var oldest)) break;
                    Decide([(oldest, reason)], kept, dropped);
                }
                if (_heldBytes > _peakHeldBytes) _peakHeldBytes = _heldBytes;
            }
        }

        // Early decisions belong to this batch: their spans are stored (or counted) before it is acknowledged.
        await EmitAsync(kept, dropped, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Decides every trace whose decision is due now, and hands the results on.</summary>
    public async Task DecideDueAsync(CancellationToken cancellationToken)
    {
        var kept = new List<Span>();
        var dropped = new List<Span>();
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            while (_dueOrder.TryPeek(out var trace, out var at) && at <= now)
            {
                _dueOrder.Dequeue();
                // A trace whose root arrived is queued again, earlier: the old entry is stale.
                if (trace.Released || trace.Due != at) continue;
                Decide([(Release(trace), trace.RootArrived ? SamplingMetrics.RootSettled : SamplingMetrics.DecisionWait)], kept, dropped);
            }
        }
        if (kept.Count == 0 && dropped.Count == 0) return;
        await EmitAfterAcknowledgementAsync(kept, dropped, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Decides (or, with <see cref="TailSamplingSettings.DropPendingTracesOnShutdown"/>, drops)
    /// every held trace and hands the results on: what shutdown does once the queue is drained.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var kept = new List<Span>();
        var dropped = new List<Span>();
        lock (_lock)
        {
            while (TryTakeOldest(out var trace))
            {
                if (!_settings.DropPendingTracesOnShutdown)
                {
                    Decide([(trace, SamplingMetrics.Shutdown)], kept, dropped);
                    continue;
                }
                _metrics.Decided(false, SamplingMetrics.Shutdown, "", trace.Spans.Count);
                dropped.AddRange(trace.Spans);
            }
        }
        if (kept.Count == 0 && dropped.Count == 0) return;
        await EmitAfterAcknowledgementAsync(kept, dropped, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops the background loop and decides what is still held.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        await FlushAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task DecideLoopAsync()
    {
        // Often enough that a decision is at most a tenth of the settle delay late.
        var tick = TimeSpan.FromTicks(Math.Clamp(_settings.SettleDelay.Ticks / 10, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromMilliseconds(250).Ticks));
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            await Task.Delay(tick, _time, token).ConfigureAwait(false);
            try
            {
                await DecideDueAsync(token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogError(ex, "Tail sampling: deciding due traces failed; they will be retried at the next tick");
            }
        }
    }

    // The held trace for the span, a new one, or null when the span followed a cached decision.
    private HeldTrace? Find(TraceId traceId, long now, List<Span> kept, List<Span> dropped, Span span)
    {
        if (_held.TryGetValue(traceId, out var trace)) return trace;
        if (_cache.TryGet(traceId, out var decision))
        {
            Follow(span, decision, kept, dropped);
            return null;
        }
        if (_cache.WasForgotten(traceId)) _metrics.CacheMiss();
        trace = new HeldTrace(traceId, now, now + Ticks(_settings.DecisionWait));
        _held.Add(traceId, trace);
        _arrivalOrder.Enqueue(trace);
        _dueOrder.Enqueue(trace, trace.Due);
        return trace;
    }

    private void Follow(Span span, SamplingDecision decision, List<Span> kept, List<Span> dropped)
    {
        if (decision.Keep) kept.Add(KeptSpan.With(span, decision));
        else dropped.Add(span);
        _metrics.Late(decision.Keep, 1);
    }

    private void Hold(HeldTrace trace, Span span, long now)
    {
        var bytes = SpanSize.Estimate(span);
        trace.Spans.Add(span);
        trace.Bytes += bytes;
        _heldSpans++;
        _heldBytes += bytes;
        if (span.IsRoot && !trace.RootArrived)
        {
            trace.RootArrived = true;
            var settled = now + Ticks(_settings.SettleDelay);
            if (settled < trace.Due)
            {
                trace.Due = settled;
                _dueOrder.Enqueue(trace, settled);
            }
        }
    }

    private bool TryTakeOldest(out HeldTrace trace)
    {
        while (_arrivalOrder.TryDequeue(out trace!))
        {
            if (trace.Released) continue;
            Release(trace);
            return true;
        }
        return false;
    }

    // Under _lock: the trace leaves the held set (its queue entries become stale).
    private HeldTrace Release(HeldTrace trace)
    {
        trace.Released = true;
        _held.Remove(trace.TraceId);
        _heldBytes -= trace.Bytes;
        _heldSpans -= trace.Spans.Count;
        return trace;
    }

    // Under _lock, right after the release, so that a span of the trace arriving next finds the
    // decision in the cache rather than starting a second one. Policies keep state (rates, EMAs)
    // and are not thread-safe: the lock serialises them too.
    private void Decide(ReadOnlySpan<(HeldTrace Trace, string Reason)> traces, List<Span> kept, List<Span> dropped)
    {
        foreach (var (trace, reason) in traces)
        {
            var decision = _combiner.Decide(new SampledTrace(trace.TraceId, trace.Spans, trace.Bytes));
            trace.Decision = decision;
            _cache.Add(trace.TraceId, decision);
            _metrics.Decided(decision.Keep, reason, decision.Policy, trace.Spans.Count);
            if (decision.Keep)
            {
                foreach (var span in trace.Spans) kept.Add(KeptSpan.With(span, decision));
            }
            else
            {
                dropped.AddRange(trace.Spans);
            }
        }
    }

    private async ValueTask EmitAsync(List<Span> kept, List<Span> dropped, CancellationToken cancellationToken)
    {
        if (dropped.Count > 0)
        {
            await _aggregates.RecordAggregatesAsync(dropped, cancellationToken).ConfigureAwait(false);
            _dropped.Add(DroppedSpans.TailSampling, dropped.Count);
        }
        if (kept.Count > 0) await _next.ConsumeAsync(kept, cancellationToken).ConfigureAwait(false);
    }

    // The spans' batches were acknowledged when held: a failure now can only be counted and logged.
    private async Task EmitAfterAcknowledgementAsync(List<Span> kept, List<Span> dropped, CancellationToken cancellationToken)
    {
        try
        {
            await EmitAsync(kept, dropped, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _metrics.EmitFailed(kept.Count + dropped.Count);
            _logger.LogError(ex, "Tail sampling: the store refused {Kept} kept and {Dropped} dropped spans of decided traces after they were acknowledged", kept.Count, dropped.Count);
        }
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private long Read(ref long field)
    {
        lock (_lock) return field;
    }

    private long Count(Func<int> count)
    {
        lock (_lock) return count();
    }
}
