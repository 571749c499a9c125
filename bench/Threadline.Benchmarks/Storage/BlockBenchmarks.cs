using BenchmarkDotNet.Attributes;
using Threadline.Core.Model;
using Threadline.Core.Synthetic;
using Threadline.Storage.Embedded.Blocks;
using Threadline.Storage.Fetch;
using Threadline.Storage.Memory;

namespace Threadline.Benchmarks.Storage;

/// <summary>
/// Reads of one Parquet block of realistic, unique spans (RealisticTraceGenerator: about 20
/// services, traces of 1-60 spans, a high-cardinality user.id): a trace by id, a search by one
/// user.id, and the fetches of issue #10's TraceQL queries (<c>status_code &gt;= 500</c>, which
/// matches nothing, and the right side of the structural one), each against the memory store
/// holding the same spans (the baseline); the fetches also against a whole decode of every row
/// group then matching (how blocks were read before the two-pass fetch). The block's bytes per
/// span are printed by the setup.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[Config(typeof(PercentileConfig))]
public class BlockReadBenchmarks
{
    private const int SpanCount = 200_000;

    private string _directory = "";
    private Block _block = null!;
    private MemoryTraceStore _memory = null!;
    private TraceId[] _traceIds = [];
    private FetchSpansRequest _byUser = null!, _fiveHundreds = null!, _slowSqlite = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var spans = BlockBenchmarkData.Spans(SpanCount);
        _directory = Path.Combine(Path.GetTempPath(), "threadline-bench-blocks-" + Guid.NewGuid().ToString("N"));
        _block = BlockWriter.Write(_directory, spans, new BlockWriteOptions(), CancellationToken.None);
        BlockBenchmarkData.PrintSize(_block, spans.Length);

        _memory = new MemoryTraceStore(new MemoryStoreOptions { MaxSpans = SpanCount * 2 });
        for (var i = 0; i < spans.Length; i += 1_000)
            _memory.AppendAsync(new ArraySegment<Span>(spans, i, Math.Min(1_000, spans.Length - i)), CancellationToken.None).AsTask().GetAwaiter().GetResult();

        var random = new Random(7);
        var ids = spans.Select(s => s.TraceId).Distinct().ToArray();
        _traceIds = [.. Enumerable.Range(0, 1_000).Select(_ => ids[random.Next(ids.Length)])];
        var user = spans.SelectMany(s => s.Attributes).First(a => a.Key == "user.id").Value;
        _byUser = new FetchSpansRequest
        {
            Conditions = [new Condition(ConditionScope.Any, "user.id", ConditionOperator.Equal, StaticValue.String(user.ToString()))],
        };
        _fiveHundreds = new FetchSpansRequest
        {
            Conditions = [new Condition(ConditionScope.Span, "http.response.status_code", ConditionOperator.GreaterOrEqual, StaticValue.Int(500))],
        };
        _slowSqlite = new FetchSpansRequest
        {
            Conditions =
            [
                new Condition(ConditionScope.Span, "db.system.name", ConditionOperator.Equal, StaticValue.String("sqlite")),
                new Condition(ConditionScope.Intrinsic, Intrinsics.Duration, ConditionOperator.Greater, StaticValue.Duration(10_000_000)),
            ],
        };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _block.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public int Memory_store_trace_by_id() =>
        _memory.GetTraceAsync(_traceIds[_next++ % _traceIds.Length], CancellationToken.None).AsTask().GetAwaiter().GetResult().Count;

    [Benchmark]
    public int Block_trace_by_id() => _block.FindTrace(_traceIds[_next++ % _traceIds.Length]).Count;

    [Benchmark]
    public async Task<int> Memory_store_fetch_one_user_id()
    {
        var spans = 0;
        await foreach (var set in _memory.FetchSpansAsync(_byUser, CancellationToken.None)) spans += set.Spans.Count;
        return spans;
    }

    [Benchmark]
    public int Block_fetch_one_user_id() => _block.Fetch(_byUser, CancellationToken.None).Sum(s => s.Spanset.Spans.Count);

    [Benchmark]
    public Task<int> Memory_store_fetch_status_5xx() => FetchFromMemory(_fiveHundreds);

    [Benchmark]
    public int Block_fetch_status_5xx() => _block.Fetch(_fiveHundreds, CancellationToken.None).Sum(s => s.Spanset.Spans.Count);

    [Benchmark]
    public int Block_whole_decode_status_5xx() => WholeDecode(_fiveHundreds);

    [Benchmark]
    public Task<int> Memory_store_fetch_slow_sqlite() => FetchFromMemory(_slowSqlite);

    [Benchmark]
    public int Block_fetch_slow_sqlite() => _block.Fetch(_slowSqlite, CancellationToken.None).Sum(s => s.Spanset.Spans.Count);

    [Benchmark]
    public int Block_whole_decode_slow_sqlite() => WholeDecode(_slowSqlite);

    private async Task<int> FetchFromMemory(FetchSpansRequest request)
    {
        var spans = 0;
        await foreach (var set in _memory.FetchSpansAsync(request, CancellationToken.None)) spans += set.Spans.Count;
        return spans;
    }

    // The matching spans found by decoding every span whole, as blocks were read before.
    private int WholeDecode(FetchSpansRequest request)
    {
        var filters = request.Conditions.Where(c => c.Filters).ToArray();
        return _block.ReadTraces(CancellationToken.None).Sum(trace => trace.Count(s => SpanMatching.Passes(filters, request.AllConditions, s)));
    }
}

/// <summary>Writing a block of realistic spans, against appending them to the memory store.</summary>
[MemoryDiagnoser]
[MedianColumn]
public class BlockWriteBenchmarks
{
    private const int SpanCount = 50_000;

    private Span[] _spans = [];
    private string _directory = "";

    [GlobalSetup]
    public void Setup()
    {
        _spans = BlockBenchmarkData.Spans(SpanCount);
        _directory = Path.Combine(Path.GetTempPath(), "threadline-bench-blocks-" + Guid.NewGuid().ToString("N"));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = SpanCount)]
    public int Memory_store_append()
    {
        var store = new MemoryTraceStore(new MemoryStoreOptions { MaxSpans = SpanCount * 2 });
        for (var i = 0; i < _spans.Length; i += 1_000)
            store.AppendAsync(new ArraySegment<Span>(_spans, i, Math.Min(1_000, _spans.Length - i)), CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return _spans.Length;
    }

    [Benchmark(OperationsPerInvoke = SpanCount)]
    public long Block_write()
    {
        using var block = BlockWriter.Write(_directory, _spans, new BlockWriteOptions(), CancellationToken.None);
        var size = block.Meta.SizeBytes;
        Directory.Delete(block.Directory, recursive: true);
        return size;
    }
}

internal static class BlockBenchmarkData
{
    public static Span[] Spans(int count)
    {
        var generator = new RealisticTraceGenerator(seed: 42, firstTraceStartUnixNano: 1_735_689_600_000_000_000);
        var spans = new List<Span>(count + RealisticTraceGenerator.MaxSpansPerTrace);
        while (spans.Count < count) spans.AddRange(generator.NextTrace());
        return [.. spans];
    }

    public static void PrintSize(Block block, int spans)
    {
        var data = new FileInfo(Path.Combine(block.Directory, BlockDirectory.DataFileName)).Length;
        var index = new FileInfo(Path.Combine(block.Directory, BlockDirectory.IndexFileName)).Length;
        var meta = new FileInfo(Path.Combine(block.Directory, BlockDirectory.MetaFileName)).Length;
        Console.WriteLine($"// Block of {spans} spans: data.parquet {(double)data / spans:F1} B/span, index.bin {(double)index / spans:F1} B/span, "
            + $"meta.json {meta} B, total {(double)(data + index + meta) / spans:F1} B/span, {block.Meta.RowGroupCount} row groups");
    }
}

internal sealed class PercentileConfig : BenchmarkDotNet.Configs.ManualConfig
{
    public PercentileConfig() => AddColumn(BenchmarkDotNet.Columns.StatisticColumn.P95);
}
