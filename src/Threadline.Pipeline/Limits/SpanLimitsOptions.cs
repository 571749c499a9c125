namespace Threadline.Pipeline.Limits;

/// <summary>
/// What one span (and one trace) may carry once it is inside the server, bound from
/// <c>Threadline:Limits</c>. Past a limit, values are truncated and surplus items dropped, never
/// whole requests refused; each cut is counted in <c>/metrics</c> and, for dropped items,
/// recorded on the span in its dropped-count fields. The defaults keep realistic spans whole
/// (stack traces and SQL statements included) while bounding hostile or runaway ones.
/// </summary>
public sealed class SpanLimitsOptions
{
    /// <summary>
    /// Most attributes kept on a span, and on a resource. Later attributes are dropped and added
    /// to the span's (or resource's) <c>DroppedAttributesCount</c>.
    /// </summary>
    public int MaxAttributesPerSpan { get; set; } = 1_000;

    /// <summary>
    /// Most UTF-8 bytes kept of one string or bytes attribute value (on spans, resources, events
    /// and links, and inside arrays and key-value lists). Longer values are cut on a character
    /// boundary. 16 KiB keeps stack traces and SQL statements whole.
    /// </summary>
    public int MaxAttributeValueBytes { get; set; } = 16 * 1024;

    /// <summary>Most events kept on a span; later events are dropped and counted in <c>DroppedEventsCount</c>.</summary>
    public int MaxEventsPerSpan { get; set; } = 1_000;

    /// <summary>Most links kept on a span; later links are dropped and counted in <c>DroppedLinksCount</c>.</summary>
    public int MaxLinksPerSpan { get; set; } = 1_000;

    /// <summary>Most attributes kept on one event or link; the rest are counted in its <c>DroppedAttributesCount</c>.</summary>
    public int MaxAttributesPerEventOrLink { get; set; } = 128;

    /// <summary>
    /// Most bytes (estimated after the limits above) kept of one trace within
    /// <see cref="TraceWindowSeconds"/> of its first span arriving. Spans of a trace that would
    /// pass it are dropped and counted; the trace's earlier spans stay.
    /// </summary>
    public long MaxBytesPerTrace { get; set; } = 10 * 1024 * 1024;

    /// <summary>
    /// How long the server remembers a trace's bytes for <see cref="MaxBytesPerTrace"/>. A span of
    /// the trace arriving later starts a fresh budget.
    /// </summary>
    public int TraceWindowSeconds { get; set; } = 300;

    /// <summary>
    /// Most traces remembered at once for <see cref="MaxBytesPerTrace"/>, so the accounting costs
    /// a known amount of memory; past it the oldest are forgotten first.
    /// </summary>
    public int MaxTrackedTraces { get; set; } = 100_000;

    /// <summary>
    /// Every problem with these options, each naming the setting relative to the
    /// <c>Limits</c> section; empty when valid.
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        RequireAtLeast(MaxAttributesPerSpan, 1, nameof(MaxAttributesPerSpan));
        RequireAtLeast(MaxAttributeValueBytes, 16, nameof(MaxAttributeValueBytes));
        RequireAtLeast(MaxEventsPerSpan, 0, nameof(MaxEventsPerSpan));
        RequireAtLeast(MaxLinksPerSpan, 0, nameof(MaxLinksPerSpan));
        RequireAtLeast(MaxAttributesPerEventOrLink, 0, nameof(MaxAttributesPerEventOrLink));
        RequireAtLeast(MaxBytesPerTrace, 1024, nameof(MaxBytesPerTrace));
        RequireAtLeast(TraceWindowSeconds, 1, nameof(TraceWindowSeconds));
        RequireAtLeast(MaxTrackedTraces, 1, nameof(MaxTrackedTraces));
        return problems;

        void RequireAtLeast(long value, long minimum, string name)
        {
            if (value < minimum) problems.Add($"{name} must be at least {minimum}, got {value}.");
        }
    }
}
