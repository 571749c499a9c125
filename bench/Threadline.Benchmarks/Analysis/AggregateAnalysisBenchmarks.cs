using BenchmarkDotNet.Attributes;
using Threadline.Core.Model;
using Threadline.Core.Synthetic;
using Threadline.Query.Analysis;
using Threadline.Storage.Aggregates;
using Threadline.Storage.Memory;

namespace Threadline.Benchmarks.Analysis;

/// <summary>
/// The service graph and RED (per service and per operation, 1-minute steps) over one hour
/// holding 10,000,000 realistic spans (<see cref="RealisticTraceGenerator"/>). The store keeps
/// only the last 200,000 spans but every span passes its ingest-time aggregates, which is all
/// these analyses read. Baseline: the two store reads alone (span metrics with steps and the
/// service-graph edges), so the rows show what the analyses add to them. Target: ≤ 200 ms.
/// </summary>
// Not sealed: BenchmarkDotNet generates a class deriving from it.
[MemoryDiagnoser]
[MedianColumn]
public class AggregateAnalysisBenchmarks
{
    private const ulong Hour = 3_600_000_000_000;
    private const ulong Origin = 1_767_225_600_000_000_000;
    private const int TotalSpans = 10_000_000;

    private MemoryTraceStore _store = null!;
    private ServiceGraphService _graph = null!;
    private RedService _red = null!;
    private readonly AnalysisRange _range = new(Origin, Origin + Hour, 1);

    [GlobalSetup]
    public void Setup()
    {
        // The mean gap that spreads 10 M spans over the hour, from the generator's own spans per trace.
        var sample = new RealisticTraceGenerator(7, Origin);
        for (var i = 0; i < 2_000; i++) sample.NextTrace();
        var spansPerTrace = (double)sample.SpansGenerated / sample.TracesGenerated;
        var interval = (ulong)(Hour / (TotalSpans / spansPerTrace));

        var generator = new RealisticTraceGenerator(42, Origin, interval);
        _store = new MemoryTraceStore(new MemoryStoreOptions { MaxSpans = 200_000 });
        var batch = new List<Span>(2_000);
        while (generator.SpansGenerated < TotalSpans)
        {
            batch.Clear();
            generator.FillBatch(batch, 1_000);
            _store.AppendAsync(batch, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
        _graph = new ServiceGraphService(_store);
        _red = new RedService(_store);
        Console.WriteLine($"// {generator.SpansGenerated:N0} spans in {generator.TracesGenerated:N0} traces; aggregates: {_store.AggregateStatistics}");
    }

    [Benchmark(Baseline = true)]
    public async Task<int> Store_reads_only()
    {
        var metrics = await _store.GetSpanMetricsAsync(_range.ToQuery(null, withSteps: true), CancellationToken.None);
        var edges = await _store.GetServiceGraphAsync(_range.ToQuery(null, withSteps: false), CancellationToken.None);
        return metrics.Count + edges.Count;
    }

    [Benchmark]
    public async Task<int> Service_graph()
    {
        var graph = await _graph.GetAsync(_range, CancellationToken.None);
        return graph.Nodes.Count + graph.Edges.Count;
    }

    [Benchmark]
    public async Task<int> Service_graph_and_red_of_every_service()
    {
        var graph = await _graph.GetAsync(_range, CancellationToken.None);
        var points = 0;
        foreach (var node in graph.Nodes.Where(n => n.Type == GraphNodeType.Service))
            points += (await _red.GetServiceRedAsync(node.Id, _range, CancellationToken.None)).Points.Count;
        return points;
    }
}
