using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Threadline.Core.Model;
using Threadline.Core.Synthetic;
using Threadline.Storage;
using Threadline.Storage.Embedded;
using Threadline.Storage.Memory;

namespace Threadline.Benchmarks.Storage;

/// <summary>
/// The embedded engine's ingest: appending 512-span batches of realistic spans
/// (<see cref="RealisticTraceGenerator"/>) from 1 and from 8 concurrent appenders, each append
/// complete only after its log write is fsynced; the memory engine on the same batches is the
/// baseline of each group. One operation appends <see cref="BatchesPerOperation"/> batches, so
/// spans/s = 512 × 16 / the time per operation. The head is cut at its default size, so the
/// figures include the background block writes a long run pays for.
/// </summary>
// Not sealed: BenchmarkDotNet generates a class deriving from it.
[MemoryDiagnoser]
[MedianColumn]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class EmbeddedStoreAppendBenchmarks
{
    public const int SpansPerBatch = 512;
    public const int BatchesPerOperation = 16;
    private const int PoolBatches = 600;

    private readonly List<Span[]> _pool = [];
    private int _next;
    private MemoryTraceStore _memory = null!;
    private EmbeddedTraceStore _embedded = null!;
    private string _directory = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        var generator = new RealisticTraceGenerator(seed: 7, firstTraceStartUnixNano: (ulong)(DateTime.UtcNow.AddHours(-1) - DateTime.UnixEpoch).Ticks * 100);
        var batch = new List<Span>(SpansPerBatch + RealisticTraceGenerator.MaxSpansPerTrace);
        for (var i = 0; i < PoolBatches; i++)
        {
            batch.Clear();
            generator.FillBatch(batch, SpansPerBatch);
            _pool.Add([.. batch]);
        }
        // Kept as full as the embedded engine's memory (two heads); past it the oldest traces go,
        // as spans leave the embedded engine's memory for blocks.
        _memory = new MemoryTraceStore(new MemoryStoreOptions { MaxSpans = 2 * new EmbeddedStoreOptions().HeadMaxSpans });
        _directory = Directory.CreateTempSubdirectory("threadline-bench-").FullName;
        _embedded = EmbeddedTraceStore.Open(new EmbeddedStoreOptions { DataDirectory = _directory });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _embedded.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("1 appender")]
    public Task Memory_one_appender() => AppendAsync(_memory, 1);

    [Benchmark, BenchmarkCategory("1 appender")]
    public Task Embedded_one_appender() => AppendAsync(_embedded, 1);

    [Benchmark(Baseline = true), BenchmarkCategory("8 appenders")]
    public Task Memory_eight_appenders() => AppendAsync(_memory, 8);

    [Benchmark, BenchmarkCategory("8 appenders")]
    public Task Embedded_eight_appenders() => AppendAsync(_embedded, 8);

    // Spans come round again after PoolBatches batches; by then the memory store holds them
    // already, which costs it the same as new ones, and the embedded store logs them again.
    private Task AppendAsync(ITraceStore store, int appenders) =>
        Task.WhenAll(Enumerable.Range(0, appenders).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < BatchesPerOperation / appenders; i++)
            {
                var batch = _pool[(int)((uint)Interlocked.Increment(ref _next) % PoolBatches)];
                await store.AppendAsync(batch, CancellationToken.None);
            }
        })));
}
