namespace Threadline.Pipeline.Sampling.Policies.Throughput;

/// <summary>
/// <c>rate_limiting</c>: keeps traces while their spans stay within <c>spans_per_second</c>
/// (a token bucket holding one second's worth). Which traces fit depends on arrival, so a kept
/// trace's adjusted count is 1: span metrics, computed before sampling, stay exact regardless.
/// </summary>
public sealed class RateLimitingPolicy(string name, double spansPerSecond, TimeProvider time) : ISamplingPolicy
{
    private readonly TokenBucket _bucket = new(spansPerSecond, spansPerSecond, time);

    public string Name { get; } = name;

    public PolicyVerdict Evaluate(SampledTrace trace) =>
        _bucket.TryTake(trace.Spans.Count) ? PolicyVerdict.Sampled : PolicyVerdict.NotSampled;
}
