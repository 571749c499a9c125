using System.Diagnostics;

namespace Threadline.Sdk.Processing;

/// <summary>
/// A bounded queue of ended spans: many threads add, one export loop takes. Adding is a compare-and-swap
/// on a counter plus one array write, never a lock and never an allocation, so ending a span costs the
/// application almost nothing even when the exporter is slow.
/// </summary>
internal sealed class SpanQueue
{
    // Slots wrap the reference in a struct: storing into an Activity?[] would check the array's element
    // type on every add (arrays of a class are covariant), a struct field store does not.
    private readonly Slot[] _slots;
    private readonly int _capacity;
    private readonly long _mask;

    // Positions only grow; a slot is position % capacity. Separate cache lines would avoid false sharing,
    // but the padding costs more than it saves at the rates spans end.
    private long _head;
    private long _tail;

    public SpanQueue(int capacity)
    {
        _capacity = capacity;
        // A power-of-two array turns the slot computation into a mask instead of a 64-bit division; the
        // queue still never holds more than capacity spans, so the extra slots only stay empty.
        var length = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)capacity);
        _slots = new Slot[length];
        _mask = length - 1;
    }

    public int Capacity => _capacity;

    public int Count
    {
        get
        {
            var count = Volatile.Read(ref _head) - Volatile.Read(ref _tail);
            return count <= 0 ? 0 : (int)Math.Min(count, _capacity);
        }
    }

    /// <summary>Everything added so far: a flush waits until the loop has taken this far.</summary>
    public long AddedPosition => Volatile.Read(ref _head);

    public long TakenPosition => Volatile.Read(ref _tail);

    /// <summary>
    /// Adds the span unless the queue is full. Safe from any thread. Returns the number of spans queued
    /// after adding (as seen by this thread), or 0 when the queue was full.
    /// </summary>
    public long TryAdd(Activity activity)
    {
        var spinner = default(SpinWait);
        while (true)
        {
            var head = Volatile.Read(ref _head);
            var queued = head - Volatile.Read(ref _tail);
            if (queued >= _capacity) return 0;
            if (Interlocked.CompareExchange(ref _head, head + 1, head) == head)
            {
                Volatile.Write(ref _slots[head & _mask].Span, activity);
                return queued + 1;
            }
            // Only contention with another adding thread gets here; a full queue returns at once.
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>Moves up to the batch's capacity of spans into it. Only the export loop calls this.</summary>
    public int TakeInto(ActivityBatch batch)
    {
        var tail = _tail;
        var available = Volatile.Read(ref _head) - tail;
        var count = (int)Math.Min(available, batch.Capacity - batch.Count);
        for (var i = 0; i < count; i++)
        {
            var index = (tail + i) & _mask;
            ref var slot = ref _slots[index].Span;
            var activity = Volatile.Read(ref slot);
            if (activity is null)
            {
                // An adder has claimed the slot but not yet written it: it is between two instructions.
                var spinner = default(SpinWait);
                while ((activity = Volatile.Read(ref slot)) is null) spinner.SpinOnce(sleep1Threshold: -1);
            }
            slot = null;
            batch.Add(activity);
        }
        Volatile.Write(ref _tail, tail + count);
        return count;
    }

    private struct Slot
    {
        public Activity? Span;
    }
}
