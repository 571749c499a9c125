namespace Threadline.Core.Model;

/// <summary>The entity producing spans (a service instance). Shared by reference among its spans.</summary>
public sealed class Resource
{
    /// <summary>The service name used when a resource has no service.name attribute, as the OpenTelemetry SDKs do.</summary>
    public const string UnknownServiceName = "unknown_service";

    public static readonly Resource Empty = new([]);

    public Resource(KeyValue[] attributes, uint droppedAttributesCount = 0, string schemaUrl = "")
    {
        Attributes = attributes;
        DroppedAttributesCount = droppedAttributesCount;
        SchemaUrl = schemaUrl;
        ServiceName = FindServiceName(attributes);
    }

    public KeyValue[] Attributes { get; }
    public uint DroppedAttributesCount { get; }
    public string SchemaUrl { get; }

    /// <summary>The <c>service.name</c> attribute, or <see cref="UnknownServiceName"/>.</summary>
    public string ServiceName { get; }

    private static string FindServiceName(KeyValue[] attributes)
    {
        foreach (var attribute in attributes)
        {
            if (attribute.Key == "service.name" && attribute.Value.Type == AttributeType.String)
                return attribute.Value.AsString();
        }
        return UnknownServiceName;
    }
}

/// <summary>The library that produced a span (an ActivitySource). Shared by reference among its spans.</summary>
public sealed class InstrumentationScope
{
    public static readonly InstrumentationScope Empty = new(string.Empty);

    public InstrumentationScope(string name, string version = "", KeyValue[]? attributes = null, uint droppedAttributesCount = 0, string schemaUrl = "")
    {
        Name = name;
        Version = version;
        Attributes = attributes ?? [];
        DroppedAttributesCount = droppedAttributesCount;
        SchemaUrl = schemaUrl;
    }

    public string Name { get; }
    public string Version { get; }
    public KeyValue[] Attributes { get; }
    public uint DroppedAttributesCount { get; }

    /// <summary>The schema URL of the ScopeSpans this scope came in.</summary>
    public string SchemaUrl { get; }
}
