using Threadline.Core.Model;
using Threadline.Query.Analysis;
using Threadline.Storage.Aggregates;
using Threadline.Storage.Memory;

namespace Threadline.Query.Tests.Analysis;

public sealed class ServiceGraphServiceTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly Resource Frontend = AggregateSpans.Service("frontend");
    private static readonly Resource Checkout = AggregateSpans.Service("checkout");
    private readonly AggregateSpans _spans = new();

    private static readonly AnalysisRange TenMinutes = new(AggregateSpans.Origin, AggregateSpans.Origin + 10 * AggregateSpans.Minute, 1);

    /// <summary>
    /// frontend → checkout: four calls (client 40 ms each, one server failed); checkout's own
    /// SERVER spans are those four. checkout → postgresql "shop": three queries nobody answered
    /// (10, 20, 30 ms, one failed), which become a database node once the pairing wait is over.
    /// </summary>
    private async Task<ServiceGraph> GraphAsync()
    {
        var clock = new ManualClock();
        var store = new MemoryTraceStore(new MemoryStoreOptions { PairingWaitSeconds = 10 }, clock);
        var spans = new List<Span>();
        for (var i = 0; i < 4; i++)
        {
            var trace = _spans.NewTrace();
            var client = _spans.Make(Frontend, "GET /checkout", SpanKind.Client, i, 40, trace: trace);
            spans.Add(client);
            spans.Add(_spans.Make(Checkout, "POST /checkout", SpanKind.Server, i, 38, i == 3 ? StatusCode.Error : StatusCode.Unset, trace, client.SpanId));
        }
        for (var i = 1; i <= 3; i++)
        {
            spans.Add(_spans.Make(Checkout, "SELECT orders", SpanKind.Client, 5, 10 * i, i == 2 ? StatusCode.Error : StatusCode.Unset,
                attributes: [new("db.system.name", "postgresql"), new("db.namespace", "shop")]));
        }
        await store.AppendAsync(spans, None);
        clock.Advance(TimeSpan.FromSeconds(11));
        await store.AppendAsync([_spans.Make(Frontend, "idle", SpanKind.Internal, 9, 1)], None);
        return await new ServiceGraphService(store).GetAsync(TenMinutes, None);
    }

    [Fact]
    public async Task Edges_carry_rate_error_percent_and_quantiles_of_the_caller_side()
    {
        var graph = await GraphAsync();

        Assert.Equal(
        [
            ("checkout", "db:postgresql/shop", ConnectionType.Database, 3L, 1L),
            ("frontend", "checkout", ConnectionType.Call, 4L, 1L),
        ], graph.Edges.Select(e => (e.Caller, e.Callee, e.ConnectionType, e.Figures.Count, e.Figures.ErrorCount)));
        var call = graph.Edges[1].Figures;
        Assert.Equal(4 / 600.0, call.RatePerSecond, 12);
        Assert.Equal(0.25, call.ErrorRatio);
        Assert.Equal(40.0 * AggregateSpans.Millisecond, call.P50Nanos!.Value, 0.4 * AggregateSpans.Millisecond);
        var database = graph.Edges[0].Figures;
        Assert.Equal(20.0 * AggregateSpans.Millisecond, database.P50Nanos!.Value, 0.2 * AggregateSpans.Millisecond);
        Assert.Equal(1 / 3.0, database.ErrorRatio, 12);
    }

    [Fact]
    public async Task Nodes_are_services_with_their_entry_points_and_virtual_nodes_with_the_edges_into_them()
    {
        var graph = await GraphAsync();

        Assert.Equal(
        [
            ("checkout", "checkout", GraphNodeType.Service, 4L, 1L),
            ("frontend", "frontend", GraphNodeType.Service, 5L, 0L),
            ("db:postgresql/shop", "postgresql/shop", GraphNodeType.Database, 3L, 1L),
        ], graph.Nodes.Select(n => (n.Id, n.Name, n.Type, n.Figures.Count, n.Figures.ErrorCount)));
        Assert.Equal(4 / 600.0, graph.Nodes[0].Figures.RatePerSecond, 12);
    }

    [Fact]
    public async Task A_range_without_data_is_an_empty_graph()
    {
        var store = new MemoryTraceStore();

        var graph = await new ServiceGraphService(store).GetAsync(TenMinutes, None);

        Assert.Empty(graph.Nodes);
        Assert.Empty(graph.Edges);
    }
}
