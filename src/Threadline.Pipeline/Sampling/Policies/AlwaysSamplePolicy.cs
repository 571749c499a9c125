namespace Threadline.Pipeline.Sampling.Policies;

/// <summary><c>always_sample</c>: keeps every trace.</summary>
public sealed class AlwaysSamplePolicy(string name) : ISamplingPolicy
{
    public string Name { get; } = name;

    public PolicyVerdict Evaluate(SampledTrace trace) => PolicyVerdict.Sampled;
}
