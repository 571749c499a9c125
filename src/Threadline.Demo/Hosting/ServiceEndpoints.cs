using System.Collections.Concurrent;

namespace Threadline.Demo.Hosting;

/// <summary>What this process offers the others, by name: its HTTP address, and the queue in notification-service.</summary>
internal sealed class ServiceEndpoints
{
    private readonly ConcurrentDictionary<string, Uri> _endpoints = new(StringComparer.Ordinal);

    public void Add(string name, Uri address) => _endpoints[name] = address;

    public IReadOnlyDictionary<string, Uri> Snapshot() => new Dictionary<string, Uri>(_endpoints, StringComparer.Ordinal);
}
