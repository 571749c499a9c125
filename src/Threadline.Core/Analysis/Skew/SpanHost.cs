using Threadline.Core.Model;

namespace Threadline.Core.Analysis;

/// <summary>Which clock a span was timed with: the machine it ran on, as far as its resource tells.</summary>
public static class SpanHost
{
    /// <summary>
    /// The resource's <c>host.name</c>, else its <c>service.instance.id</c>, else the service name.
    /// Only the resource is read: these describe the process, not one span.
    /// </summary>
    public static string Of(Span span)
    {
        ArgumentNullException.ThrowIfNull(span);
        return Of(span.Resource);
    }

    /// <inheritdoc cref="Of(Span)"/>
    public static string Of(Resource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        string? instance = null;
        foreach (var attribute in resource.Attributes)
        {
            if (attribute.Value.Type != AttributeType.String) continue;
            if (attribute.Key == "host.name") return attribute.Value.AsString();
            if (attribute.Key == "service.instance.id") instance = attribute.Value.AsString();
        }
        return instance ?? resource.ServiceName;
    }
}
