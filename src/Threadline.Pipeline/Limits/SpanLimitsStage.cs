using System.Diagnostics.Metrics;
using Threadline.Core.Model;

namespace Threadline.Pipeline.Limits;

/// <summary>
/// The limits processor: cuts each span to <see cref="SpanLimitsOptions"/> and drops spans of a
/// trace that has passed <see cref="SpanLimitsOptions.MaxBytesPerTrace"/>, then hands the batch
/// to the next stage. Every cut is counted (<c>threadline_limits_truncated_total{what}</c>,
/// <c>threadline_limits_dropped_total{what}</c>,
/// <c>threadline_spans_dropped_total{reason="trace_too_large"}</c>).
/// </summary>
public sealed class SpanLimitsStage : IBatchConsumer
{
    private readonly SpanLimiter _limiter;
    private readonly IBatchConsumer _next;
    private readonly DroppedSpans _dropped;
    private readonly Lock _budgetLock = new();
    private readonly TraceByteBudget _budget;
    private readonly Counter<long>? _truncated;
    private readonly Counter<long>? _droppedItems;

    /// <param name="options">The limits; checked with <see cref="SpanLimitsOptions.Problems"/>.</param>
    /// <param name="next">The stage the limited batch goes to.</param>
    /// <param name="dropped">Counts spans dropped for their trace's size.</param>
    /// <param name="meter">Where the limits counters are reported; none when null.</param>
    /// <param name="time">The clock of the per-trace window; the system clock when null.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public SpanLimitsStage(SpanLimitsOptions options, IBatchConsumer next, DroppedSpans dropped, Meter? meter = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(dropped);
        var problems = options.Problems();
        if (problems.Count > 0) throw new ArgumentException("Span limits: " + string.Join(" ", problems), nameof(options));
        _limiter = new SpanLimiter(options);
        _budget = new TraceByteBudget(options, time ?? TimeProvider.System);
        _next = next;
        _dropped = dropped;
        _truncated = meter?.CreateCounter<long>("threadline_limits_truncated", "{item}", "Names, attribute keys and attribute values cut to Threadline:Limits:MaxAttributeValueBytes, by what was cut.");
        _droppedItems = meter?.CreateCounter<long>("threadline_limits_dropped", "{item}", "Attributes, events and links dropped by Threadline:Limits, by what was dropped (also counted on the span).");
        meter?.CreateObservableGauge("threadline_limits_tracked_traces", TrackedTraces, "{trace}", "Traces whose bytes are remembered for Threadline:Limits:MaxBytesPerTrace.");
    }

    /// <inheritdoc />
    public async ValueTask ConsumeAsync(IReadOnlyList<Span> batch, CancellationToken cancellationToken)
    {
        var counts = new LimitCounts();
        var resources = new Dictionary<Resource, Resource>();
        var limited = new Span[batch.Count];
        var sizes = new long[batch.Count];
        var changed = false;
        for (var i = 0; i < batch.Count; i++)
        {
            limited[i] = _limiter.Apply(batch[i], counts, resources);
            changed |= !ReferenceEquals(limited[i], batch[i]);
            sizes[i] = SpanSize.Estimate(limited[i]);
        }

        var kept = new List<Span>(limited.Length);
        var keptSizes = new List<long>(limited.Length);
        lock (_budgetLock)
        {
            var now = _budget.Now();
            for (var i = 0; i < limited.Length; i++)
            {
                if (!_budget.TryCharge(limited[i].TraceId, sizes[i], now)) continue;
                kept.Add(limited[i]);
                keptSizes.Add(sizes[i]);
            }
        }
        Report(counts);
        _dropped.Add(DroppedSpans.TraceTooLarge, limited.Length - kept.Count);

        IReadOnlyList<Span> onward = kept.Count == batch.Count ? (changed ? limited : batch) : kept;
        try
        {
            await _next.ConsumeAsync(onward, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // The sender is told to retry; charging the same spans twice would drop the retry.
            lock (_budgetLock)
            {
                for (var i = 0; i < kept.Count; i++) _budget.Refund(kept[i].TraceId, keptSizes[i]);
            }
            throw;
        }
    }

    private long TrackedTraces()
    {
        lock (_budgetLock) return _budget.TrackedTraces;
    }

    private void Report(LimitCounts counts)
    {
        Add(_truncated, "attribute_value", counts.AttributeValuesTruncated);
        Add(_truncated, "attribute_key", counts.AttributeKeysTruncated);
        Add(_truncated, "name", counts.NamesTruncated);
        Add(_droppedItems, "span_attribute", counts.SpanAttributesDropped);
        Add(_droppedItems, "resource_attribute", counts.ResourceAttributesDropped);
        Add(_droppedItems, "event", counts.EventsDropped);
        Add(_droppedItems, "link", counts.LinksDropped);
        Add(_droppedItems, "event_attribute", counts.EventAttributesDropped);
        Add(_droppedItems, "link_attribute", counts.LinkAttributesDropped);

        static void Add(Counter<long>? counter, string what, long count)
        {
            if (count > 0) counter?.Add(count, new KeyValuePair<string, object?>("what", what));
        }
    }
}
