using System.Buffers.Binary;
using System.Globalization;

namespace Threadline.Sdk.Sampling;

/// <summary>
/// Samples a fixed fraction of traces, decided by the trace id alone: every span of a trace gets the same
/// decision in every service that uses the same ratio, and a higher ratio samples a superset of what a
/// lower one samples. Ignores the parent's decision: wrap it in <see cref="ParentBasedSampler"/> to
/// follow the caller.
/// </summary>
/// <remarks>
/// The OpenTelemetry specification leaves the exact function open. This one matches OpenTelemetry .NET
/// (1.x): the first 8 bytes of the trace id, read big-endian as a signed 64-bit integer, sampled when
/// its absolute value is below <c>ratio × long.MaxValue</c>. A Threadline service and an
/// OpenTelemetry .NET service with the same ratio therefore agree on every trace.
/// </remarks>
public sealed class TraceIdRatioBasedSampler : Sampler
{
    private readonly long _upperBound;

    /// <param name="ratio">Fraction of traces to sample, from 0 (none) to 1 (all).</param>
    public TraceIdRatioBasedSampler(double ratio)
    {
        if (double.IsNaN(ratio) || ratio < 0 || ratio > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "The sampling ratio must be between 0 and 1.");
        }
        Ratio = ratio;
        Description = "TraceIdRatioBased{" + ratio.ToString("R", CultureInfo.InvariantCulture) + "}";

        // The ends are exact so that 0 never samples (|long.MinValue| stays negative) and 1 always does.
        _upperBound = ratio switch
        {
            0 => long.MinValue,
            1 => long.MaxValue,
            _ => (long)(ratio * long.MaxValue),
        };
    }

    /// <summary>The fraction of traces sampled.</summary>
    public double Ratio { get; }

    /// <inheritdoc />
    public override string Description { get; }

    /// <inheritdoc />
    public override SamplingResult ShouldSample(in SamplingParameters parameters) =>
        IsSampled(parameters.TraceId) ? SamplingResult.RecordAndSample : SamplingResult.Drop;

    internal bool IsSampled(System.Diagnostics.ActivityTraceId traceId)
    {
        if (_upperBound == long.MaxValue) return true;
        if (_upperBound == long.MinValue) return false;
        // The first 16 hex digits are the first 8 bytes. Decoding them from the id's text is far cheaper than
        // ActivityTraceId.CopyTo on a freshly generated id, and this runs for every new root span.
        Span<byte> bytes = stackalloc byte[8];
        Convert.FromHexString(traceId.ToHexString().AsSpan(0, 16), bytes, out _, out _);
        var value = BinaryPrimitives.ReadInt64BigEndian(bytes);
        // |long.MinValue| does not fit in a long; it is the largest magnitude, so it is never sampled.
        return value != long.MinValue && Math.Abs(value) < _upperBound;
    }
}
