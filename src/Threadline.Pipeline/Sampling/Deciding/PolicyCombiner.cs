using Threadline.Pipeline.Sampling.Policies;

namespace Threadline.Pipeline.Sampling.Deciding;

/// <summary>
/// Turns the policies' verdicts into one decision, ranked as the Collector ranks them: a
/// <c>drop</c> match or an inverted not-sampled drops the trace; otherwise any keep (plain or
/// inverted) keeps it; otherwise it is dropped. A kept trace stands for the smallest adjusted
/// count among the policies that kept it: with consistent (trace-id) probabilities the trace was
/// kept with the largest of them.
/// </summary>
internal sealed class PolicyCombiner
{
    private readonly ISamplingPolicy[] _policies;
    private readonly bool _sampleOnFirstMatch;

    public PolicyCombiner(IReadOnlyList<ISamplingPolicy> policies, bool sampleOnFirstMatch)
    {
        // Drop policies first, so that stopping at the first keep never skips a veto.
        _policies = [.. policies.OrderBy(p => p is Policies.Combining.DropPolicy ? 0 : 1)];
        _sampleOnFirstMatch = sampleOnFirstMatch;
    }

    public SamplingDecision Decide(SampledTrace trace)
    {
        string? keptBy = null;
        var adjusted = double.PositiveInfinity;
        foreach (var policy in _policies)
        {
            var verdict = policy.Evaluate(trace);
            switch (verdict.Decision)
            {
                case PolicyDecision.Dropped:
                case PolicyDecision.InvertedNotSampled:
                    return new SamplingDecision(false, 1, policy.Name);
                case PolicyDecision.Sampled:
                case PolicyDecision.InvertedSampled:
                    keptBy ??= policy.Name;
                    adjusted = Math.Min(adjusted, verdict.AdjustedCount);
                    if (_sampleOnFirstMatch && verdict.Decision == PolicyDecision.Sampled) return new SamplingDecision(true, adjusted, keptBy);
                    break;
            }
        }
        return keptBy is null ? SamplingDecision.NoPolicyMatched : new SamplingDecision(true, adjusted, keptBy);
    }
}
