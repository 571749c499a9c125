using System.Runtime.InteropServices;
using Threadline.Core.Model;

namespace Threadline.Pipeline.Limits;

/// <summary>
/// Bytes kept per trace within a window of its first span, for
/// <see cref="SpanLimitsOptions.MaxBytesPerTrace"/>. Bounded in memory: at most
/// <see cref="SpanLimitsOptions.MaxTrackedTraces"/> traces are remembered, the oldest forgotten
/// first, and a trace is forgotten once its window has passed. Not thread-safe; the stage locks.
/// </summary>
internal sealed class TraceByteBudget
{
    private readonly long _maxBytes;
    private readonly long _windowTicks;
    private readonly int _maxTraces;
    private readonly TimeProvider _time;
    private readonly Dictionary<TraceId, Entry> _traces = [];

    // First-seen order, for expiry and for eviction when too many traces are tracked. An entry
    // whose trace was forgotten and seen again has a stale FirstSeen and is skipped.
    private readonly Queue<(TraceId Trace, long FirstSeen)> _order = new();

    public TraceByteBudget(SpanLimitsOptions options, TimeProvider time)
    {
        _maxBytes = options.MaxBytesPerTrace;
        _windowTicks = (long)(options.TraceWindowSeconds * (double)time.TimestampFrequency);
        _maxTraces = options.MaxTrackedTraces;
        _time = time;
    }

    /// <summary>Traces remembered now.</summary>
    public int TrackedTraces => _traces.Count;

    /// <summary>Now, on the clock <see cref="TryCharge"/> expects.</summary>
    public long Now() => _time.GetTimestamp();

    /// <summary>
    /// Adds <paramref name="bytes"/> to the trace and returns true, or returns false (adding
    /// nothing) when that would pass the limit. <paramref name="now"/> comes from <see cref="Now"/>,
    /// read once per batch.
    /// </summary>
    public bool TryCharge(TraceId trace, long bytes, long now)
    {
        while (_order.TryPeek(out var oldest) && now - oldest.FirstSeen >= _windowTicks) Forget(_order.Dequeue());
        if (!_traces.ContainsKey(trace))
        {
            while (_traces.Count >= _maxTraces && _order.TryDequeue(out var oldest)) Forget(oldest);
            _traces.Add(trace, new Entry(0, now));
            _order.Enqueue((trace, now));
        }

        ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(_traces, trace);
        if (entry.Bytes + bytes > _maxBytes) return false;
        entry.Bytes += bytes;
        return true;
    }

    /// <summary>Gives back what <see cref="TryCharge"/> took for spans that were not kept after all (the store failed; the sender will retry).</summary>
    public void Refund(TraceId trace, long bytes)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(_traces, trace);
        if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(ref entry)) entry.Bytes = Math.Max(0, entry.Bytes - bytes);
    }

    private void Forget((TraceId Trace, long FirstSeen) oldest)
    {
        if (_traces.TryGetValue(oldest.Trace, out var entry) && entry.FirstSeen == oldest.FirstSeen) _traces.Remove(oldest.Trace);
    }

    private struct Entry(long bytes, long firstSeen)
    {
        public long Bytes = bytes;
        public readonly long FirstSeen = firstSeen;
    }
}
