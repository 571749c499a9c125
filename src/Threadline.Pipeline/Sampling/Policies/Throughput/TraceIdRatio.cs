using Threadline.Core.Model;

namespace Threadline.Pipeline.Sampling.Policies.Throughput;

/// <summary>
/// Keeps a fraction of traces decided by the trace id alone, with the function of the SDK's
/// <c>TraceIdRatioBasedSampler</c> (and OpenTelemetry .NET's): the first 8 bytes as a signed
/// big-endian integer, kept when its magnitude is below <c>ratio × long.MaxValue</c>. So a
/// trace kept at 1 % is also kept at 10 %, and a head-sampled service agrees with the tail.
/// A salt, when given, rehashes the id first, so two tiers can sample independently.
/// </summary>
internal readonly struct TraceIdRatio
{
    private readonly long _upperBound;
    private readonly ulong _salt;

    public TraceIdRatio(double ratio, string? salt = null)
    {
        Ratio = ratio;
        _upperBound = ratio >= 1 ? long.MaxValue : ratio <= 0 ? long.MinValue : (long)(ratio * long.MaxValue);
        _salt = string.IsNullOrEmpty(salt) ? 0 : Fnv1a(salt);
    }

    public double Ratio { get; }

    public bool Keeps(TraceId traceId)
    {
        if (_upperBound == long.MaxValue) return true;
        if (_upperBound == long.MinValue) return false;
        var value = _salt == 0 ? (long)traceId.High : (long)Mix(traceId.High ^ _salt ^ Mix(traceId.Low));
        return value != long.MinValue && Math.Abs(value) < _upperBound;
    }

    private static ulong Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        return hash | 1;
    }

    // SplitMix64's finaliser: spreads every input bit over the output.
    private static ulong Mix(ulong x)
    {
        x ^= x >> 30;
        x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 27;
        x *= 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
