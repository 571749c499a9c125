using BenchmarkDotNet.Attributes;
using Threadline.Core.Model;
using Threadline.Core.Synthetic;
using Threadline.Query.Analysis;
using Threadline.Query.TraceQL;
using Threadline.Storage;
using Threadline.Storage.Fetch;
using Threadline.Storage.Memory;

namespace Threadline.Benchmarks.Analysis;

/// <summary>
/// Triage of error spans against the rest over 1,000,000 candidate spans (every span of a memory
/// store filled by <see cref="RealisticTraceGenerator"/>: twenty services, semantic-convention
/// attributes, a unique <c>user.id</c>), against the baseline of enumerating the same spans
/// through <c>FetchSpansAsync</c> with no condition (the floor of any streamed analysis), and
/// the reads triage makes without its counting (the fetch plus one whole-trace read per trace),
/// so that the difference shows what the counting costs. Target: triage within 1 s.
/// </summary>
// Not sealed: BenchmarkDotNet generates a class deriving from it.
[MemoryDiagnoser]
[MedianColumn]
public class TriageBenchmarks
{
    private const int SpanCount = 1_000_000;
    private const ulong Origin = 1_764_547_200_000_000_000;

    private MemoryTraceStore _store = null!;
    private TriageService _triage = null!;
    private TriageRequest _request = null!;
    private FetchSpansRequest _plain = null!;

    [GlobalSetup]
    public void Setup()
    {
        _store = new MemoryTraceStore(new MemoryStoreOptions { MaxSpans = SpanCount + RealisticTraceGenerator.MaxSpansPerTrace });
        var generator = new RealisticTraceGenerator(seed: 11, Origin);
        var batch = new List<Span>(2_000);
        var stored = 0;
        while (stored < SpanCount)
        {
            batch.Clear();
            generator.FillBatch(batch, Math.Min(1_000, SpanCount - stored));
            _store.AppendAsync(batch.ToArray(), CancellationToken.None).AsTask().GetAwaiter().GetResult();
            stored += batch.Count;
        }
        var end = Origin + (ulong)TimeSpan.FromDays(1).Ticks * 100;
        _triage = new TriageService(_store, new TraceQLOptions());
        _request = new TriageRequest { Selection = new TriageSelection.Errors(), StartUnixNano = Origin, EndUnixNano = end };
        _plain = new FetchSpansRequest { StartTimeUnixNano = Origin, EndTimeUnixNano = end };
    }

    [Benchmark(Baseline = true)]
    public async Task<long> Fetch_every_span() => await CountAsync(_plain);

    [Benchmark]
    public async Task<long> Fetch_every_span_and_read_each_trace_whole()
    {
        long spans = 0;
        await foreach (var set in _store.FetchSpansAsync(_plain, CancellationToken.None))
            spans += (await _store.GetTraceAsync(new TraceByIdRequest(set.TraceId) { StartHintUnixNano = _plain.StartTimeUnixNano, EndHintUnixNano = _plain.EndTimeUnixNano }, CancellationToken.None)).Count;
        return spans;
    }

    [Benchmark]
    public async Task<long> Triage_errors_against_the_rest()
    {
        var answer = await _triage.TriageAsync(_request, CancellationToken.None);
        return answer.SpansExamined;
    }

    private async Task<long> CountAsync(FetchSpansRequest request)
    {
        long spans = 0;
        await foreach (var set in _store.FetchSpansAsync(request, CancellationToken.None)) spans += set.Spans.Count;
        return spans;
    }
}
