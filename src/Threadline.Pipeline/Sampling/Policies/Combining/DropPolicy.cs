namespace Threadline.Pipeline.Sampling.Policies.Combining;

/// <summary>
/// <c>drop</c>: drops a trace when every <c>drop_sub_policy</c> keeps it, whatever the other
/// policies of the file say (health checks, <c>app.do_not_sample</c>); otherwise has no say.
/// </summary>
public sealed class DropPolicy(string name, IReadOnlyList<ISamplingPolicy> subPolicies) : ISamplingPolicy
{
    private static readonly PolicyVerdict Drop = new(PolicyDecision.Dropped);

    public string Name { get; } = name;

    public IReadOnlyList<ISamplingPolicy> SubPolicies { get; } = subPolicies;

    public PolicyVerdict Evaluate(SampledTrace trace)
    {
        foreach (var policy in SubPolicies)
        {
            if (!policy.Evaluate(trace).Keeps) return PolicyVerdict.NotSampled;
        }
        return Drop;
    }
}
