using System.Numerics;

namespace Threadline.Query.TraceQL.Metrics;

/// <summary>Tempo's histogram buckets: a value's next power of two (durations in seconds).</summary>
internal static class HistogramBuckets
{
    /// <summary>The bucket of a non-negative integer value; null under 2, which Tempo leaves out.</summary>
    public static ulong? Of(ulong value) => value < 2 ? null : BitOperations.RoundUpToPowerOf2(value);

    public static double Seconds(ulong nanos) => nanos / 1e9;
}
