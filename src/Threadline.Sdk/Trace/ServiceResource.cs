namespace Threadline.Sdk;

/// <summary>
/// The attributes describing this process (service.name, service.version, host.*, process.*,
/// telemetry.sdk.*), attached to every exported span.
/// </summary>
public sealed class ServiceResource
{
    public static readonly ServiceResource Empty = new([]);

    public ServiceResource(IReadOnlyList<KeyValuePair<string, object?>> attributes) => Attributes = attributes;

    /// <summary>Values are string, bool, long, double, or arrays of those.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Attributes { get; }

    public string ServiceName
    {
        get
        {
            foreach (var attribute in Attributes)
            {
                if (attribute.Key == "service.name" && attribute.Value is string name) return name;
            }
            return "unknown_service";
        }
    }
}
