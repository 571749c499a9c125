using Threadline.Storage;
using Threadline.Storage.Aggregates;

namespace Threadline.Query.Analysis;

/// <summary>What a node of the service map stands for.</summary>
public enum GraphNodeType
{
    Service,
    Database,
    Messaging,
    External,
}

/// <summary>
/// A node of the service map. A service's figures are its own entry-point spans (or all its
/// spans when it has none); a virtual node's are the edges into it.
/// </summary>
public sealed record GraphNode(string Id, string Name, GraphNodeType Type, RedFigures Figures);

/// <summary>An edge of the service map: caller → callee with the caller side's durations.</summary>
public sealed record GraphEdge(string Caller, string Callee, ConnectionType ConnectionType, RedFigures Figures);

/// <summary>The service map over a range.</summary>
public sealed record ServiceGraph(AnalysisRange Range, IReadOnlyList<GraphNode> Nodes, IReadOnlyList<GraphEdge> Edges);

/// <summary>
/// The service map — services, databases, destinations and external hosts, and who calls whom
/// with rate, error percentage and latency quantiles — read from the ingest-time service-graph
/// edges and span metrics, never from spans.
/// </summary>
public sealed class ServiceGraphService
{
    private readonly ITraceStore _store;

    public ServiceGraphService(ITraceStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    public async Task<ServiceGraph> GetAsync(AnalysisRange range, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(range);
        var query = range.ToQuery(null, withSteps: false);
        var seconds = range.CoveredSeconds;
        var edges = await _store.GetServiceGraphAsync(query, cancellationToken).ConfigureAwait(false);
        var metrics = await _store.GetSpanMetricsAsync(query, cancellationToken).ConfigureAwait(false);

        var services = new Dictionary<string, (TallySum Entries, TallySum All)>(StringComparer.Ordinal);
        foreach (var series in metrics)
        {
            if (!services.TryGetValue(series.Key.ServiceName, out var sums)) services.Add(series.Key.ServiceName, sums = (new TallySum(), new TallySum()));
            sums.All.Add(series.Total);
            if (RedService.IsEntryPoint(series.Key.Kind)) sums.Entries.Add(series.Total);
        }

        var virtualNodes = new Dictionary<string, (GraphNodeType Type, TallySum Into)>(StringComparer.Ordinal);
        var graphEdges = new List<GraphEdge>(edges.Count);
        foreach (var edge in edges)
        {
            graphEdges.Add(new GraphEdge(edge.Key.Caller, edge.Key.Callee, edge.Key.ConnectionType, RedFigures.From(edge.Total.Count, edge.Total.ErrorCount, edge.Total.Durations, seconds)));
            services.TryAdd(edge.Key.Caller, (new TallySum(), new TallySum()));
            if (NodeTypeOf(edge.Key.ConnectionType) is var type && type == GraphNodeType.Service)
            {
                services.TryAdd(edge.Key.Callee, (new TallySum(), new TallySum()));
                continue;
            }
            if (!virtualNodes.TryGetValue(edge.Key.Callee, out var node)) virtualNodes.Add(edge.Key.Callee, node = (type, new TallySum()));
            node.Into.Add(edge.Total);
        }

        var nodes = new List<GraphNode>(services.Count + virtualNodes.Count);
        foreach (var (name, sums) in services)
            nodes.Add(new GraphNode(name, name, GraphNodeType.Service, (sums.Entries.Count > 0 ? sums.Entries : sums.All).Figures(seconds)));
        foreach (var (id, node) in virtualNodes)
            nodes.Add(new GraphNode(id, NameOf(id), node.Type, node.Into.Figures(seconds)));
        nodes.Sort((a, b) => a.Type != b.Type ? a.Type.CompareTo(b.Type) : string.CompareOrdinal(a.Id, b.Id));
        return new ServiceGraph(range, nodes, graphEdges);
    }

    /// <summary>The kind of node an edge of this type ends at.</summary>
    public static GraphNodeType NodeTypeOf(ConnectionType type) => type switch
    {
        ConnectionType.Database => GraphNodeType.Database,
        ConnectionType.External => GraphNodeType.External,
        ConnectionType.MessagingSystem => GraphNodeType.Messaging,
        _ => GraphNodeType.Service,
    };

    // "db:postgresql/shop" reads as "postgresql/shop": the id's prefix is what the type already says.
    private static string NameOf(string id)
    {
        var colon = id.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? id : id[(colon + 1)..];
    }
}
