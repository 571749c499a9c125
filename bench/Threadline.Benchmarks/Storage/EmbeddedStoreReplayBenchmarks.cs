using BenchmarkDotNet.Attributes;
using Threadline.Core.Model;
using Threadline.Core.Synthetic;
using Threadline.Storage.Embedded;

namespace Threadline.Benchmarks.Storage;

/// <summary>
/// Opening an embedded store whose log holds <see cref="LoggedSpans"/> realistic spans not yet
/// in a block: the replay a restart after a crash pays for (spans/s = LoggedSpans / time).
/// Baseline: opening the same store with an empty log.
/// </summary>
// Not sealed: BenchmarkDotNet generates a class deriving from it.
[MemoryDiagnoser]
[MedianColumn]
public class EmbeddedStoreReplayBenchmarks
{
    public const int LoggedSpans = 100_000;

    private string _withLog = string.Empty;
    private string _empty = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _withLog = Directory.CreateTempSubdirectory("threadline-bench-replay-").FullName;
        _empty = Directory.CreateTempSubdirectory("threadline-bench-empty-").FullName;
        var generator = new RealisticTraceGenerator(seed: 3, firstTraceStartUnixNano: (ulong)(DateTime.UtcNow.AddHours(-1) - DateTime.UnixEpoch).Ticks * 100);
        // A head larger than the log, so nothing is cut to a block while writing or replaying.
        using var store = EmbeddedTraceStore.Open(Options(_withLog));
        var batch = new List<Span>(600);
        while (generator.SpansGenerated < LoggedSpans)
        {
            batch.Clear();
            generator.FillBatch(batch, 512);
            store.AppendAsync([.. batch], CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
        EmbeddedTraceStore.Open(Options(_empty)).Dispose();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Directory.Delete(_withLog, recursive: true);
        Directory.Delete(_empty, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public void Open_empty_log() => EmbeddedTraceStore.Open(Options(_empty)).Dispose();

    [Benchmark]
    public void Open_and_replay_log() => EmbeddedTraceStore.Open(Options(_withLog)).Dispose();

    private static EmbeddedStoreOptions Options(string directory) => new() { DataDirectory = directory, HeadMaxSpans = LoggedSpans * 2 };
}
