using Threadline.Core.Model;

namespace Threadline.Pipeline.Sampling.Policies;

/// <summary>Whether any span of a trace, or its resource, has an attribute value that passes a test, as the Collector's attribute policies look.</summary>
internal static class AttributeValues
{
    public static bool Any(SampledTrace trace, string key, Func<AttributeValue, bool> test)
    {
        Resource? checkedResource = null;
        foreach (var span in trace.Spans)
        {
            // Spans of a batch share their resource: look at each one once.
            if (!ReferenceEquals(span.Resource, checkedResource))
            {
                checkedResource = span.Resource;
                if (Any(span.Resource.Attributes, key, test)) return true;
            }
            if (Any(span.Attributes, key, test)) return true;
        }
        return false;
    }

    private static bool Any(KeyValue[] attributes, string key, Func<AttributeValue, bool> test)
    {
        foreach (var attribute in attributes)
        {
            if (attribute.Key == key && test(attribute.Value)) return true;
        }
        return false;
    }
}
