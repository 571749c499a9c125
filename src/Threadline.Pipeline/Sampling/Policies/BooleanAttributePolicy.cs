using Threadline.Core.Model;

namespace Threadline.Pipeline.Sampling.Policies;

/// <summary><c>boolean_attribute</c>: keeps traces where a span or resource has the boolean attribute <c>key</c> equal to <c>value</c>; <c>invert_match</c> turns the verdict over.</summary>
public sealed class BooleanAttributePolicy(string name, string key, bool expected, bool invert) : ISamplingPolicy
{
    public string Name { get; } = name;

    public PolicyVerdict Evaluate(SampledTrace trace) =>
        PolicyVerdict.Match(AttributeValues.Any(trace, key, v => v.Type == AttributeType.Bool && v.AsBool() == expected), invert);
}
