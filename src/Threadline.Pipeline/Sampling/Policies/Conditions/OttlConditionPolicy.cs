using Threadline.Core.Model;

namespace Threadline.Pipeline.Sampling.Policies.Conditions;

/// <summary>
/// <c>ottl_condition</c>: keeps traces with a span matching one of the <c>span</c> conditions or
/// an event matching one of the <c>spanevent</c> conditions. Threadline reads the comparison part
/// of OTTL only (see <see cref="OttlCondition"/>); a file using more is refused at start-up.
/// </summary>
public sealed class OttlConditionPolicy(string name, IReadOnlyList<OttlCondition> spanConditions, IReadOnlyList<OttlCondition> eventConditions) : ISamplingPolicy
{
    public string Name { get; } = name;

    public PolicyVerdict Evaluate(SampledTrace trace)
    {
        foreach (var span in trace.Spans)
        {
            foreach (var condition in spanConditions)
            {
                if (condition.Matches(span.Name, span.Attributes, span)) return PolicyVerdict.Sampled;
            }
            if (eventConditions.Count == 0) continue;
            foreach (var spanEvent in span.Events)
            {
                foreach (var condition in eventConditions)
                {
                    if (condition.Matches(spanEvent.Name, spanEvent.Attributes, span)) return PolicyVerdict.Sampled;
                }
            }
        }
        return PolicyVerdict.NotSampled;
    }
}
