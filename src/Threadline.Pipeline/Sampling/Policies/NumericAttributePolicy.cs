using Threadline.Core.Model;

namespace Threadline.Pipeline.Sampling.Policies;

/// <summary>
/// <c>numeric_attribute</c>: keeps traces where a span or resource has the integer attribute
/// <c>key</c> within [<c>min_value</c>, <c>max_value</c>] (either bound may be left out);
/// <c>invert_match</c> turns the verdict over.
/// </summary>
public sealed class NumericAttributePolicy(string name, string key, long? minValue, long? maxValue, bool invert) : ISamplingPolicy
{
    public string Name { get; } = name;

    public PolicyVerdict Evaluate(SampledTrace trace) =>
        PolicyVerdict.Match(AttributeValues.Any(trace, key, InRange), invert);

    private bool InRange(AttributeValue value)
    {
        long number;
        if (value.Type == AttributeType.Int) number = value.AsInt();
        else if (value.Type == AttributeType.Double && double.IsFinite(value.AsDouble())) number = (long)Math.Floor(value.AsDouble());
        else return false;
        return (minValue is not { } min || number >= min) && (maxValue is not { } max || number <= max);
    }
}
