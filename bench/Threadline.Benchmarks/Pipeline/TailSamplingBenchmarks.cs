using BenchmarkDotNet.Attributes;
using Threadline.Core.Model;
using Threadline.Pipeline;
using Threadline.Pipeline.Sampling.Config;
using Threadline.Pipeline.Sampling.Deciding;
using Threadline.Storage.Memory;

namespace Threadline.Benchmarks.Pipeline;

/// <summary>
/// What the tail sampler adds per span in front of the store: each call hands it a batch of ten
/// whole 10-span traces (root included), moves its clock past the settle delay and decides them
/// with the five policies of docs/examples/tail-sampling-five-policies.yaml (errors, latency, a
/// drop of health checks by regex, a boolean attribute, 10 % probabilistic). The baseline hands
/// the same batch straight to the next stage. Figures are per span.
/// </summary>
// Not sealed: BenchmarkDotNet generates a class deriving from it.
[MemoryDiagnoser]
[MedianColumn]
public class TailSamplingBenchmarks
{
    private const int TracesPerBatch = 10;
    private const int SpansPerTrace = 10;
    private const int SpansPerBatch = TracesPerBatch * SpansPerTrace;

    private const string FivePolicies = """
        settle_delay: 2s
        policies:
          - {name: errors, type: status_code, status_code: {status_codes: [ERROR]}}
          - {name: slow, type: latency, latency: {threshold_ms: 2000}}
          - name: no-health-checks
            type: drop
            drop:
              drop_sub_policy:
                - {name: health, type: string_attribute, string_attribute: {key: url.path, values: ["^/health", "^/metrics"], enabled_regex_matching: true}}
          - {name: forced, type: boolean_attribute, boolean_attribute: {key: app.force_sample, value: true}}
          - {name: ten-percent, type: probabilistic, probabilistic: {sampling_percentage: 10}}
        """;

    private readonly Discard _next = new();
    private readonly SteppedClock _clock = new();
    private TailSampler _sampler = null!;
    private Span[] _template = [];
    private ulong _trace;

    [GlobalSetup]
    public void Setup()
    {
        var file = PolicyFile.Parse(FivePolicies, "benchmark", new PolicyContext { Time = _clock });
        // No aggregates kept: the benchmark measures the sampler, not the store's span metrics.
        var store = new MemoryTraceStore(new MemoryStoreOptions { KeepAggregates = false });
        _sampler = new TailSampler(file.Settings, file.Policies, _next, store, new DroppedSpans(null), null, _clock, decideInBackground: false);
        _template = Batch();
    }

    [GlobalCleanup]
    public void Cleanup() => _sampler.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark(Baseline = true, OperationsPerInvoke = SpansPerBatch)]
    public ValueTask Next_stage_directly() => _next.ConsumeAsync(Fresh(), CancellationToken.None);

    [Benchmark(OperationsPerInvoke = SpansPerBatch)]
    public async Task Hold_and_decide_with_five_policies()
    {
        await _sampler.ConsumeAsync(Fresh(), CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(2));
        await _sampler.DecideDueAsync(CancellationToken.None);
    }

    // Every row pays for the same re-keying of the batch onto new traces, so the ratio shows the stage alone.
    private Span[] Fresh()
    {
        var batch = new Span[_template.Length];
        TraceId trace = default;
        for (var i = 0; i < batch.Length; i++)
        {
            if (i % SpansPerTrace == 0) trace = new TraceId(0x9E3779B97F4A7C15 * ++_trace, _trace);
            var span = _template[i];
            batch[i] = new Span
            {
                TraceId = trace,
                SpanId = span.SpanId,
                ParentSpanId = span.ParentSpanId,
                Name = span.Name,
                Kind = span.Kind,
                StartTimeUnixNano = span.StartTimeUnixNano,
                EndTimeUnixNano = span.EndTimeUnixNano,
                Attributes = span.Attributes,
                Status = span.Status,
                Resource = span.Resource,
            };
        }
        return batch;
    }

    private static Span[] Batch()
    {
        var resource = new Resource([new("service.name", "checkout"), new("service.version", "2.3.1"), new("host.name", "node-3")]);
        var spans = new Span[SpansPerBatch];
        for (var i = 0; i < spans.Length; i++)
        {
            var isRoot = i % SpansPerTrace == 0;
            spans[i] = new Span
            {
                TraceId = new TraceId(1, 1),
                SpanId = new SpanId((ulong)i + 1),
                ParentSpanId = isRoot ? SpanId.Empty : new SpanId((ulong)(i - i % SpansPerTrace) + 1),
                Name = isRoot ? "GET /cart" : "SELECT cart_items",
                Kind = isRoot ? SpanKind.Server : SpanKind.Client,
                StartTimeUnixNano = 1_735_689_600_000_000_000 + (ulong)(i % SpansPerTrace) * 100_000,
                EndTimeUnixNano = 1_735_689_600_002_000_000,
                Attributes = [new("url.path", "/cart"), new("http.response.status_code", 200), new("db.statement", "SELECT id, sku, quantity FROM cart_items WHERE cart_id = @cart")],
                Status = i % 50 == 0 ? new SpanStatus(StatusCode.Error, "timeout") : SpanStatus.Unset,
                Resource = resource,
            };
        }
        return spans;
    }

    private sealed class Discard : IBatchConsumer
    {
        public ValueTask ConsumeAsync(IReadOnlyList<Span> batch, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    /// <summary>A clock the benchmark moves past the settle delay after each batch.</summary>
    private sealed class SteppedClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UnixEpoch.AddTicks(Interlocked.Read(ref _ticks));

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
