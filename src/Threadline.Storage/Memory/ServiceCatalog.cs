using Threadline.Core.Model;

namespace Threadline.Storage.Memory;

/// <summary>
/// Services and their operations seen since start, each set capped so that endless distinct
/// names cannot exhaust memory. Not thread-safe: used under the store's lock. Entries outlive
/// evicted traces, as in Jaeger's memory store: the catalog answers "what has been seen".
/// </summary>
internal sealed class ServiceCatalog(int maxServices, int maxOperationsPerService)
{
    private readonly Dictionary<string, HashSet<Operation>> _operationsByService = new(StringComparer.Ordinal);

    /// <summary>The operation set of a service, or null when the service did not fit under the cap.</summary>
    public HashSet<Operation>? Observe(string serviceName)
    {
        if (_operationsByService.TryGetValue(serviceName, out var operations)) return operations;
        if (_operationsByService.Count >= maxServices) return null;
        operations = [];
        _operationsByService.Add(serviceName, operations);
        return operations;
    }

    public void AddOperation(HashSet<Operation>? operations, string name, SpanKind kind)
    {
        if (operations is null || operations.Count >= maxOperationsPerService) return;
        operations.Add(new Operation(name, kind));
    }

    public string[] Services() => [.. _operationsByService.Keys];

    public Operation[] Operations(string serviceName) =>
        _operationsByService.TryGetValue(serviceName, out var operations) ? [.. operations] : [];
}
