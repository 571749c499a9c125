using Threadline.Core.Model;

namespace Threadline.Pipeline.Sampling.Policies;

/// <summary>What policies decide on: the spans of one trace held so far, and their estimated bytes.</summary>
public sealed class SampledTrace
{
    public SampledTrace(TraceId traceId, IReadOnlyList<Span> spans, long bytes)
    {
        ArgumentNullException.ThrowIfNull(spans);
        TraceId = traceId;
        Spans = spans;
        Bytes = bytes;
    }

    public TraceId TraceId { get; }
    public IReadOnlyList<Span> Spans { get; }

    /// <summary>The trace's size as the byte cap counts it (<see cref="Limits.SpanSize"/>).</summary>
    public long Bytes { get; }

    /// <summary>From the earliest start to the latest end, as the Collector's <c>latency</c> policy measures it.</summary>
    public TimeSpan Duration
    {
        get
        {
            ulong start = ulong.MaxValue, end = 0;
            foreach (var span in Spans)
            {
                start = Math.Min(start, span.StartTimeUnixNano);
                end = Math.Max(end, Math.Max(span.StartTimeUnixNano, span.EndTimeUnixNano));
            }
            return start == ulong.MaxValue ? TimeSpan.Zero : TimeSpan.FromTicks((long)((end - start) / 100));
        }
    }

    /// <summary>The root span, or null when it has not arrived.</summary>
    public Span? Root
    {
        get
        {
            foreach (var span in Spans)
            {
                if (span.IsRoot) return span;
            }
            return null;
        }
    }
}
