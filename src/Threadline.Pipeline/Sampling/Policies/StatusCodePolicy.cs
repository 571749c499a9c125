using Threadline.Core.Model;

namespace Threadline.Pipeline.Sampling.Policies;

/// <summary><c>status_code</c>: keeps traces with a span whose status is one of <c>status_codes</c> (OK, ERROR, UNSET).</summary>
public sealed class StatusCodePolicy(string name, IReadOnlySet<StatusCode> codes) : ISamplingPolicy
{
    public string Name { get; } = name;

    public PolicyVerdict Evaluate(SampledTrace trace)
    {
        foreach (var span in trace.Spans)
        {
            if (codes.Contains(span.Status.Code)) return PolicyVerdict.Sampled;
        }
        return PolicyVerdict.NotSampled;
    }
}
