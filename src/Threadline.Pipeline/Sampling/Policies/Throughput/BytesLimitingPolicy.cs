namespace Threadline.Pipeline.Sampling.Policies.Throughput;

/// <summary>
/// <c>bytes_limiting</c>: keeps traces while their bytes stay within <c>bytes_per_second</c>,
/// with bursts up to <c>burst_capacity</c> (default twice the rate), as a token bucket. Bytes are
/// Threadline's estimate of a trace's size (<see cref="SampledTrace.Bytes"/>), not the protobuf size.
/// </summary>
public sealed class BytesLimitingPolicy(string name, double bytesPerSecond, double burstCapacity, TimeProvider time) : ISamplingPolicy
{
    private readonly TokenBucket _bucket = new(bytesPerSecond, burstCapacity, time);

    public string Name { get; } = name;

    public PolicyVerdict Evaluate(SampledTrace trace) =>
        _bucket.TryTake(trace.Bytes) ? PolicyVerdict.Sampled : PolicyVerdict.NotSampled;
}
