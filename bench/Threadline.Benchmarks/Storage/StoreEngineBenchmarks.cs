using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Threadline.Core.Model;
using Threadline.Core.Synthetic;
using Threadline.Storage;
using Threadline.Storage.Embedded;
using Threadline.Storage.Fetch;
using Threadline.Storage.Memory;

namespace Threadline.Benchmarks.Storage;

/// <summary>
/// The memory engine (baseline of each group) against the embedded engine on the same
/// realistic data (<see cref="RealisticTraceGenerator"/>, seed 1): appending 100-span batches
/// (the embedded engine's task completes after its log's fsync), trace by id, and a fetch of one
/// user.id. Both stores hold <see cref="StoredSpans"/> spans first; the embedded one has flushed
/// them to blocks, so reads measure blocks, as in a long-running server.
/// </summary>
// Not sealed: BenchmarkDotNet generates a class deriving from it.
[MemoryDiagnoser]
[MedianColumn]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class StoreEngineBenchmarks
{
    private const int StoredSpans = 300_000;
    private const int SpansPerBatch = 100;
    private const int AppendPoolBatches = 2_000;

    private readonly List<Span[]> _appendPool = [];
    private TraceId[] _traceIds = [];
    private string[] _userIds = [];
    private MemoryTraceStore _memory = null!;
    private EmbeddedTraceStore _embedded = null!;
    private string _directory = string.Empty;
    private int _nextBatch;
    private int _nextTrace;
    private int _nextUser;

    [GlobalSetup]
    public void Setup()
    {
        var generator = new RealisticTraceGenerator(seed: 1, firstTraceStartUnixNano: (ulong)(DateTime.UtcNow.AddHours(-1) - DateTime.UnixEpoch).Ticks * 100);
        _memory = new MemoryTraceStore(new MemoryStoreOptions { MaxSpans = StoredSpans * 4 });
        _directory = Directory.CreateTempSubdirectory("threadline-bench-").FullName;
        _embedded = EmbeddedTraceStore.Open(new EmbeddedStoreOptions { DataDirectory = _directory });

        var traceIds = new List<TraceId>();
        var userIds = new List<string>();
        var batch = new List<Span>(SpansPerBatch + RealisticTraceGenerator.MaxSpansPerTrace);
        while (generator.SpansGenerated < StoredSpans)
        {
            batch.Clear();
            generator.FillBatch(batch, SpansPerBatch);
            var spans = batch.ToArray();
            foreach (var root in spans.Where(s => s.IsRoot))
            {
                traceIds.Add(root.TraceId);
                if (root.TryGetAttribute("user.id", out var user)) userIds.Add(user.AsString());
            }
            Wait(_memory.AppendAsync(spans, CancellationToken.None));
            Wait(_embedded.AppendAsync(spans, CancellationToken.None));
        }
        _embedded.FlushAsync(CancellationToken.None).GetAwaiter().GetResult();

        // Lookups spread over the whole store, in an order fixed by a seed.
        var random = new Random(7);
        _traceIds = [.. traceIds.OrderBy(_ => random.Next()).Take(1_024)];
        _userIds = [.. userIds.OrderBy(_ => random.Next()).Take(1_024)];
        for (var i = 0; i < AppendPoolBatches; i++)
        {
            batch.Clear();
            generator.FillBatch(batch, SpansPerBatch);
            _appendPool.Add(batch.ToArray());
        }
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _embedded.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = SpansPerBatch)]
    [BenchmarkCategory("append 100-span batch, per span")]
    public ValueTask Append_memory() => _memory.AppendAsync(NextBatch(), CancellationToken.None);

    [Benchmark(OperationsPerInvoke = SpansPerBatch)]
    [BenchmarkCategory("append 100-span batch, per span")]
    public ValueTask Append_embedded_fsynced() => _embedded.AppendAsync(NextBatch(), CancellationToken.None);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("trace by id")]
    public ValueTask<IReadOnlyList<Span>> Trace_by_id_memory() => _memory.GetTraceAsync(NextTraceId(), CancellationToken.None);

    [Benchmark]
    [BenchmarkCategory("trace by id")]
    public ValueTask<IReadOnlyList<Span>> Trace_by_id_embedded() => _embedded.GetTraceAsync(NextTraceId(), CancellationToken.None);

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("fetch one user.id")]
    public Task<int> Fetch_user_memory() => FetchAsync(_memory);

    [Benchmark]
    [BenchmarkCategory("fetch one user.id")]
    public Task<int> Fetch_user_embedded() => FetchAsync(_embedded);

    private async Task<int> FetchAsync(ITraceStore store)
    {
        var user = _userIds[_nextUser++ % _userIds.Length];
        var request = new FetchSpansRequest { Conditions = [new Condition(ConditionScope.Span, "user.id", ConditionOperator.Equal, StaticValue.String(user))] };
        var matches = 0;
        await foreach (var set in store.FetchSpansAsync(request, CancellationToken.None)) matches += set.Spans.Count;
        return matches;
    }

    private Span[] NextBatch() => _appendPool[_nextBatch++ % _appendPool.Count];

    private TraceId NextTraceId() => _traceIds[_nextTrace++ % _traceIds.Length];

    private static void Wait(ValueTask task) => task.AsTask().GetAwaiter().GetResult();
}
