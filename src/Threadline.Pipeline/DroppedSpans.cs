using System.Diagnostics.Metrics;

namespace Threadline.Pipeline;

/// <summary>
/// <c>threadline_spans_dropped_total{reason}</c>: spans a sender was told were accepted (or
/// partly accepted) that were not stored, by reason. Shared by every stage that drops.
/// </summary>
public sealed class DroppedSpans
{
    /// <summary>The decoder refused the span (invalid trace or span id); the sender was told through partial success.</summary>
    public const string Invalid = "invalid";

    /// <summary>The server runs in the decode-only benchmarking mode.</summary>
    public const string DecodeOnly = "decode_only";

    /// <summary>The span's trace had already passed <c>Threadline:Limits:MaxBytesPerTrace</c>.</summary>
    public const string TraceTooLarge = "trace_too_large";

    /// <summary>The tail sampler decided not to keep the span's trace; it is still counted in span metrics.</summary>
    public const string TailSampling = "tail_sampling";

    private readonly Counter<long>? _counter;

    /// <param name="meter">Where the counter is reported; counts are not kept when null.</param>
    public DroppedSpans(Meter? meter) =>
        _counter = meter?.CreateCounter<long>("threadline_spans_dropped", "{span}", "Spans acknowledged (fully or partly) but not stored, by reason.");

    /// <summary>Counts <paramref name="count"/> spans dropped for <paramref name="reason"/>.</summary>
    public void Add(string reason, long count)
    {
        if (count > 0) _counter?.Add(count, new KeyValuePair<string, object?>("reason", reason));
    }
}
