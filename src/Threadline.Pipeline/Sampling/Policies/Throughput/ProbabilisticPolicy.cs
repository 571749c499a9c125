namespace Threadline.Pipeline.Sampling.Policies.Throughput;

/// <summary>
/// <c>probabilistic</c>: keeps <c>sampling_percentage</c> % of traces, consistently by trace id
/// (see <see cref="TraceIdRatio"/>; <c>hash_salt</c> rehashes). A kept trace stands for
/// 100 / <c>sampling_percentage</c> traces.
/// </summary>
public sealed class ProbabilisticPolicy : ISamplingPolicy
{
    private readonly TraceIdRatio _ratio;
    private readonly PolicyVerdict _kept;

    public ProbabilisticPolicy(string name, double percentage, string? salt)
    {
        Name = name;
        _ratio = new TraceIdRatio(percentage / 100, salt);
        _kept = new PolicyVerdict(PolicyDecision.Sampled, percentage > 0 ? 100 / percentage : 1);
    }

    public string Name { get; }

    public PolicyVerdict Evaluate(SampledTrace trace) => _ratio.Keeps(trace.TraceId) ? _kept : PolicyVerdict.NotSampled;
}
