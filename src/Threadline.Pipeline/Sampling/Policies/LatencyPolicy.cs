namespace Threadline.Pipeline.Sampling.Policies;

/// <summary>
/// <c>latency</c>: keeps traces lasting at least <c>threshold_ms</c> (from the earliest start to
/// the latest end) and, when <c>upper_threshold_ms</c> is set, at most that.
/// </summary>
public sealed class LatencyPolicy(string name, TimeSpan threshold, TimeSpan? upperThreshold) : ISamplingPolicy
{
    public string Name { get; } = name;

    public PolicyVerdict Evaluate(SampledTrace trace)
    {
        var duration = trace.Duration;
        return duration >= threshold && (upperThreshold is not { } upper || duration <= upper) ? PolicyVerdict.Sampled : PolicyVerdict.NotSampled;
    }
}
