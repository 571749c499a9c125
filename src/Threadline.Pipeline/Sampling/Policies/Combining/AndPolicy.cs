namespace Threadline.Pipeline.Sampling.Policies.Combining;

/// <summary>
/// <c>and</c>: keeps a trace when every <c>and_sub_policy</c> keeps it (inverted matches count as
/// plain keeps or drops here, as in the Collector). The kept trace stands for the largest
/// adjusted count of its sub-policies.
/// </summary>
public sealed class AndPolicy(string name, IReadOnlyList<ISamplingPolicy> subPolicies) : ISamplingPolicy
{
    public string Name { get; } = name;

    public IReadOnlyList<ISamplingPolicy> SubPolicies { get; } = subPolicies;

    public PolicyVerdict Evaluate(SampledTrace trace)
    {
        double adjusted = 1;
        foreach (var policy in SubPolicies)
        {
            var verdict = policy.Evaluate(trace);
            if (!verdict.Keeps) return PolicyVerdict.NotSampled;
            adjusted = Math.Max(adjusted, verdict.AdjustedCount);
        }
        return new PolicyVerdict(PolicyDecision.Sampled, adjusted);
    }
}
