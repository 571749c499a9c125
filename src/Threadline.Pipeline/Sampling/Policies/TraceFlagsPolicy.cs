namespace Threadline.Pipeline.Sampling.Policies;

/// <summary><c>trace_flags</c>: keeps traces with a span whose W3C sampled flag is set (the head sampler said yes).</summary>
public sealed class TraceFlagsPolicy(string name) : ISamplingPolicy
{
    private const uint SampledFlag = 0x01;

    public string Name { get; } = name;

    public PolicyVerdict Evaluate(SampledTrace trace)
    {
        foreach (var span in trace.Spans)
        {
            if ((span.Flags & SampledFlag) != 0) return PolicyVerdict.Sampled;
        }
        return PolicyVerdict.NotSampled;
    }
}
