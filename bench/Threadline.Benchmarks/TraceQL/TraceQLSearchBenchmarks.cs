using BenchmarkDotNet.Attributes;
using Threadline.Core.Model;
using Threadline.Core.Synthetic;
using Threadline.Query.TraceQL;
using Threadline.Storage;
using Threadline.Storage.Embedded;
using Threadline.Storage.Fetch;
using Threadline.Storage.Memory;

namespace Threadline.Benchmarks.TraceQL;

/// <summary>
/// TraceQL searches over a store (memory, or embedded with everything flushed to blocks) holding
/// <see cref="StoredSpans"/> realistic spans (<see cref="RealisticTraceGenerator"/>, seed 1, one hour): the scan
/// <c>{ span.http.response.status_code &gt;= 500 }</c> and its structural query, against the
/// baseline of the same run, the store's own fetch of the same condition (no TraceQL layer), so
/// the ratio is what parsing, planning, exact evaluation and result building add. Setup builds
/// the store once: about a minute for the memory engine, run in-process with
/// <c>--filter *TraceQLSearchBenchmarks* --inProcess --strategy Monitoring --warmupCount 1 --iterationCount 7</c>;
/// over five minutes for the embedded engine (it logs, fsyncs and flushes a million spans),
/// longer than the in-process toolchain allows, so run that case out of process (without <c>--inProcess</c>).
/// </summary>
// Not sealed: BenchmarkDotNet generates a class deriving from it.
[MemoryDiagnoser]
[MedianColumn]
public class TraceQLSearchBenchmarks
{
    private const int StoredSpans = 1_000_000;
    private const ulong Hour = 3_600_000_000_000;

    private ITraceStore _store = null!;
    private TraceQLEngine _engine = null!;
    private string? _directory;
    private ulong _start;
    private ulong _end;

    [Params("memory", "embedded")]
    public string Engine { get; set; } = "memory";

    [GlobalSetup]
    public void Setup()
    {
        _start = (ulong)(DateTime.UtcNow.AddHours(-2) - DateTime.UnixEpoch).Ticks * 100;
        // One hour of traffic: the mean gap between traces spreads the spans over it.
        var generator = new RealisticTraceGenerator(seed: 1, firstTraceStartUnixNano: _start, meanTraceIntervalNanos: Hour / (StoredSpans / 10));
        EmbeddedTraceStore? embedded = null;
        if (Engine == "embedded")
        {
            _directory = Directory.CreateTempSubdirectory("threadline-bench-").FullName;
            _store = embedded = EmbeddedTraceStore.Open(new EmbeddedStoreOptions { DataDirectory = _directory });
        }
        else
        {
            _store = new MemoryTraceStore(new MemoryStoreOptions { MaxSpans = StoredSpans * 2 });
        }
        var batch = new List<Span>(1_100);
        while (generator.SpansGenerated < StoredSpans)
        {
            batch.Clear();
            generator.FillBatch(batch, 1_000);
            _store.AppendAsync(batch.ToArray(), CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
        embedded?.FlushAsync(CancellationToken.None).GetAwaiter().GetResult();
        _end = _start + (2 * Hour);
        _engine = new TraceQLEngine(_store, new TraceQLOptions());
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        if (_store is IAsyncDisposable disposable) await disposable.DisposeAsync();
        if (_directory is not null) Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true)]
    public async Task<int> StoreFetchStatus500()
    {
        var request = new FetchSpansRequest
        {
            StartTimeUnixNano = _start,
            EndTimeUnixNano = _end,
            Conditions = [new Condition(ConditionScope.Span, "http.response.status_code", ConditionOperator.GreaterOrEqual, StaticValue.Int(500))],
        };
        var traces = 0;
        await foreach (var _ in _store.FetchSpansAsync(request, CancellationToken.None)) traces++;
        return traces;
    }

    [Benchmark]
    public async Task<int> TraceQLStatus500() =>
        (await _engine.SearchAsync(Request("{ span.http.response.status_code >= 500 }"), CancellationToken.None)).Traces.Count;

    [Benchmark]
    public async Task<int> TraceQLGatewayToSlowSqlite() =>
        (await _engine.SearchAsync(
            Request("{ resource.service.name = \"api-gateway\" } >> { span.db.system.name = \"sqlite\" && duration > 10ms }"),
            CancellationToken.None)).Traces.Count;

    private TraceQLSearchRequest Request(string query) => new() { Query = query, StartUnixNano = _start, EndUnixNano = _end };
}
