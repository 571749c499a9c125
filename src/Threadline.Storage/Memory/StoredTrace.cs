using Threadline.Core.Model;

namespace Threadline.Storage.Memory;

/// <summary>
/// One trace held by the memory engine: its spans in arrival order and its running summary.
/// Mutated only under the store's lock. The span array is append-only: a slot below
/// <see cref="Count"/> is never written again and growing allocates a new array, so a
/// <see cref="SpanSnapshot"/> taken under the lock stays valid to read after the lock is released.
/// </summary>
internal sealed class StoredTrace
{
    private Span[] _spans = new Span[8];

    public StoredTrace(TraceId traceId) => Summary = new TraceSummaryBuilder(traceId);

    public TraceId TraceId => Summary.TraceId;

    public TraceSummaryBuilder Summary { get; }

    public int Count { get; private set; }

    public void Add(Span span)
    {
        if (Count == _spans.Length) Array.Resize(ref _spans, _spans.Length * 2);
        _spans[Count++] = span;
        Summary.Add(span);
    }

    public SpanSnapshot Snapshot() => new(_spans, Count);
}

/// <summary>The spans of a trace as they were when the snapshot was taken.</summary>
internal readonly record struct SpanSnapshot(Span[] Array, int Count)
{
    public ReadOnlySpan<Span> AsSpan() => Array.AsSpan(0, Count);

    public ArraySegment<Span> AsSegment() => new(Array, 0, Count);
}
