using BenchmarkDotNet.Attributes;
using Threadline.Core.Model;
using Threadline.Pipeline;
using Threadline.Pipeline.Stages;
using Threadline.Storage.Memory;

namespace Threadline.Benchmarks.Storage;

/// <summary>
/// Appending 100-span batches, the size an OpenTelemetry SDK exports by default-ish, to the
/// memory engine, directly and through the ingest queue. Figures are per span. The store is
/// kept full, so every append also pays for eviction, as it does in a long-running server.
/// The default store keeps span metrics and service-graph edges at ingest; a second store with
/// them off shows what they cost.
/// </summary>
// Not sealed: BenchmarkDotNet generates a class deriving from it.
[MemoryDiagnoser]
[MedianColumn]
public class MemoryStoreAppendBenchmarks
{
    private const int SpansPerBatch = 100;
    private const int SpansPerTrace = 10;
    private const int BatchesPerQueueRound = 64;
    private const int MaxSpans = 200_000;

    // More spans than the budget, so that by the time a batch comes round again its traces
    // have been evicted and it arrives as new traffic, not as additions to existing traces.
    private const int PoolBatches = MaxSpans / SpansPerBatch * 5 / 4;

    private static readonly string[] Routes = ["/cart", "/checkout", "/product/{id}", "/search", "/account", "/orders/{id}", "/health", "/recommendations"];
    private static readonly string[] Services = ["frontend", "checkout", "catalog", "payments", "shipping"];

    private Span[][] _batches = [];
    private int _next;
    private MemoryTraceStore _store = null!;
    private MemoryTraceStore _storeWithoutAggregates = null!;
    private IngestQueue _queue = null!;
    private readonly List<Task> _round = new(BatchesPerQueueRound);
    private readonly Lock _baselineLock = new();
    private readonly Span[] _baselineRing = new Span[MaxSpans];
    private int _baselineNext;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _batches = new Span[PoolBatches][];
        ulong traceCounter = 0;
        for (var b = 0; b < PoolBatches; b++)
        {
            // One batch comes from one service (one Resource), as an SDK's exporter sends it.
            var service = Services[b % Services.Length];
            var resource = new Resource(
            [
                new("service.name", service),
                new("service.version", "2.3.1"),
                new("service.instance.id", $"{service}-{b % 7}"),
                new("host.name", $"node-{b % 11}"),
                new("telemetry.sdk.language", "dotnet"),
            ]);
            var scope = new InstrumentationScope("Microsoft.AspNetCore", "10.0.0");
            var batch = new Span[SpansPerBatch];
            for (var t = 0; t < SpansPerBatch / SpansPerTrace; t++)
            {
                traceCounter++;
                var traceId = new TraceId(traceCounter * 0x9E3779B97F4A7C15, traceCounter);
                var start = 1_735_689_600_000_000_000UL + traceCounter * 1_000_000;
                var rootId = new SpanId(traceCounter << 8);
                for (var s = 0; s < SpansPerTrace; s++)
                {
                    var route = Routes[random.Next(Routes.Length)];
                    var failed = random.Next(50) == 0;
                    batch[t * SpansPerTrace + s] = new Span
                    {
                        TraceId = traceId,
                        SpanId = new SpanId((traceCounter << 8) + (ulong)s),
                        ParentSpanId = s == 0 ? SpanId.Empty : rootId,
                        Name = s == 0 ? $"GET {route}" : $"SELECT {route.Trim('/')}",
                        Kind = s == 0 ? SpanKind.Server : SpanKind.Client,
                        StartTimeUnixNano = start + (ulong)s * 100_000,
                        EndTimeUnixNano = start + (ulong)s * 100_000 + (ulong)random.Next(50_000, 5_000_000),
                        Status = failed ? new SpanStatus(StatusCode.Error, "timeout") : SpanStatus.Unset,
                        Attributes =
                        [
                            new("http.request.method", "GET"),
                            new("url.path", route),
                            new("http.response.status_code", failed ? 500 : 200),
                            new("server.address", "shop.example.com"),
                            new("network.protocol.version", "1.1"),
                            new("http.request.header.x-request-id", $"{traceCounter:x}-{s}"),
                        ],
                        Resource = resource,
                        Scope = scope,
                    };
                }
            }
            _batches[b] = batch;
        }

        _store = new MemoryTraceStore(new MemoryStoreOptions { MaxSpans = MaxSpans });
        _storeWithoutAggregates = new MemoryTraceStore(new MemoryStoreOptions { MaxSpans = MaxSpans, KeepAggregates = false });
        _queue = new IngestQueue(new StoreWriter(_store), new IngestQueueOptions());

        // Fill the stores once so that measuring starts in the steady state (store full, evicting).
        foreach (var batch in _batches.AsSpan(0, MaxSpans / SpansPerBatch))
        {
            _store.AppendAsync(batch, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            _storeWithoutAggregates.AppendAsync(batch, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
        _next = MaxSpans / SpansPerBatch;
    }

    [GlobalCleanup]
    public async Task Cleanup() => await _queue.DisposeAsync();

    /// <summary>The floor: one lock per batch and a reference copied per span, nothing else.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = SpansPerBatch)]
    public void Copy_references_under_a_lock()
    {
        var batch = NextBatch();
        lock (_baselineLock)
        {
            foreach (var span in batch)
            {
                _baselineRing[_baselineNext] = span;
                _baselineNext = (_baselineNext + 1) % _baselineRing.Length;
            }
        }
    }

    [Benchmark(OperationsPerInvoke = SpansPerBatch)]
    public ValueTask Append_batch_to_memory_store() => _store.AppendAsync(NextBatch(), CancellationToken.None);

    /// <summary>The same append without span metrics and service-graph pairing.</summary>
    [Benchmark(OperationsPerInvoke = SpansPerBatch)]
    public ValueTask Append_batch_to_memory_store_without_aggregates() => _storeWithoutAggregates.AppendAsync(NextBatch(), CancellationToken.None);

    /// <summary>
    /// What a receiver sees: enqueue a round of batches, then wait for every acknowledgement;
    /// the queue's two workers append to the store.
    /// </summary>
    [Benchmark(OperationsPerInvoke = SpansPerBatch * BatchesPerQueueRound)]
    public async Task Enqueue_batches_through_ingest_queue()
    {
        _round.Clear();
        for (var i = 0; i < BatchesPerQueueRound; i++)
        {
            var ticket = _queue.TryEnqueue(NextBatch()) ?? throw new InvalidOperationException("The ingest queue refused a batch; raise MaxQueuedSpans for the benchmark.");
            _round.Add(ticket.Completion);
        }
        await Task.WhenAll(_round);
    }

    private Span[] NextBatch()
    {
        var batch = _batches[_next];
        _next = (_next + 1) % _batches.Length;
        return batch;
    }
}
