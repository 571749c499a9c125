using System.Diagnostics;
using Threadline.Core.Model;
using Threadline.Storage.Memory;

namespace Threadline.Storage.Embedded.Head;

/// <summary>
/// The recent spans, in memory and queryable at once: a <see cref="MemoryTraceStore"/> (which
/// also keeps this head's span metrics and service-graph pairs) plus the batches as appended,
/// from which the head is written out as a block. A head covers the log segments from
/// <see cref="FirstSegment"/> to <see cref="LastSegment"/>: once its block is durable those
/// segments are no longer needed.
/// </summary>
internal sealed class Head
{
    private readonly List<Span[]> _batches = [];
    private readonly HashSet<TraceId> _traces = [];
    private readonly Lock _lock = new();
    private ulong _minStart = ulong.MaxValue;
    private ulong _maxStart;

    /// <param name="time">The store's clock, which also limits how long a service-graph pair waits.</param>
    public Head(long firstSegment, MemoryStoreOptions options, TimeProvider time)
    {
        FirstSegment = firstSegment;
        LastSegment = firstSegment;
        Store = new MemoryTraceStore(options, time);
        StartedAt = Stopwatch.GetTimestamp();
    }

    public MemoryTraceStore Store { get; }
    public long FirstSegment { get; }

    /// <summary>The last segment holding this head's spans; grows while the head is active.</summary>
    public long LastSegment { get; set; }

    public long StartedAt { get; }
    public long SpanCount { get; private set; }

    /// <summary>Earliest and latest span start seen (Unix ns); max/0 when empty.</summary>
    public (ulong Min, ulong Max) StartRange
    {
        get
        {
            lock (_lock) return (_minStart, _maxStart);
        }
    }

    /// <summary>Adds a batch already in the log. Called by the log writer only, one batch at a time.</summary>
    public void Add(Span[] spans)
    {
        // The memory store completes synchronously; its task carries no work.
        var appended = Store.AppendAsync(spans, CancellationToken.None);
        Debug.Assert(appended.IsCompletedSuccessfully);
        lock (_lock)
        {
            _batches.Add(spans);
            SpanCount += spans.Length;
            var previous = TraceId.Empty;
            foreach (var span in spans)
            {
                // Batches come mostly grouped by trace: one set lookup per run, not per span.
                if (span.TraceId != previous) _traces.Add(previous = span.TraceId);
                if (span.StartTimeUnixNano < _minStart) _minStart = span.StartTimeUnixNano;
                if (span.StartTimeUnixNano > _maxStart) _maxStart = span.StartTimeUnixNano;
            }
        }
    }

    /// <summary>Whether any span of the trace is in this head.</summary>
    public bool Contains(TraceId traceId)
    {
        lock (_lock) return _traces.Contains(traceId);
    }

    /// <summary>Every span appended, for writing the block of a frozen head.</summary>
    public IEnumerable<Span> Spans()
    {
        Span[][] batches;
        lock (_lock) batches = [.. _batches];
        return batches.SelectMany(b => b);
    }
}
