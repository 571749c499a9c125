namespace Threadline.Core.Analysis;

/// <summary>The outcome of <see cref="CriticalPath.Compute"/>. Times are the skew-adjusted ones when a skew result was given.</summary>
public sealed class CriticalPathResult
{
    internal CriticalPathResult(int topIndex, ulong startUnixNano, ulong endUnixNano, IReadOnlyList<CriticalSegment> segments, IReadOnlyList<CriticalSpan> spans)
    {
        TopIndex = topIndex;
        StartUnixNano = startUnixNano;
        EndUnixNano = endUnixNano;
        Segments = segments;
        Spans = spans;
    }

    /// <summary>The top of the subtree the path runs through (the one holding the trace's last end); -1 for an empty trace.</summary>
    public int TopIndex { get; }

    public ulong StartUnixNano { get; }

    /// <summary>The latest end in the chosen subtree, async work included.</summary>
    public ulong EndUnixNano { get; }

    public ulong DurationNanos => EndUnixNano - StartUnixNano;

    /// <summary>Time slices ordered by start, each owned by one span, covering [start, end] without gaps or overlap.</summary>
    public IReadOnlyList<CriticalSegment> Segments { get; }

    /// <summary>Each span on the path once, in the order it first appears, with the nanoseconds it contributes.</summary>
    public IReadOnlyList<CriticalSpan> Spans { get; }
}

/// <summary>A slice of the critical path: the span the request was waiting on during [start, end).</summary>
public readonly record struct CriticalSegment(int SpanIndex, ulong StartUnixNano, ulong EndUnixNano)
{
    public ulong DurationNanos => EndUnixNano - StartUnixNano;
}

/// <summary>A span on the critical path and the total time it contributes.</summary>
public readonly record struct CriticalSpan(int SpanIndex, ulong CriticalNanos);
