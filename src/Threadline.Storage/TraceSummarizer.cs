using Threadline.Core.Model;

namespace Threadline.Storage;

/// <summary>
/// Summarises a trace from its spans, with the same rules every engine uses: start is the
/// earliest span start, duration runs to the latest span end, the root is the span without a
/// parent (the earliest one if several) or, while no root has arrived, the earliest span.
/// </summary>
public static class TraceSummarizer
{
    /// <exception cref="ArgumentException"><paramref name="spans"/> is empty: a trace has at least one span.</exception>
    public static TraceSummary Summarize(TraceId traceId, IEnumerable<Span> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var builder = new TraceSummaryBuilder(traceId);
        foreach (var span in spans) builder.Add(span);
        if (builder.SpanCount == 0)
            throw new ArgumentException($"Trace {traceId} has no spans to summarise.", nameof(spans));
        return builder.ToSummary();
    }
}
