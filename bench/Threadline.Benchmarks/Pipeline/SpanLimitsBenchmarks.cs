using BenchmarkDotNet.Attributes;
using Threadline.Core.Model;
using Threadline.Pipeline;
using Threadline.Pipeline.Limits;

namespace Threadline.Benchmarks.Pipeline;

/// <summary>
/// What the limits stage adds per span in front of the store, on a 100-span batch of realistic
/// spans (nothing to cut: the common case) and on one where every span carries a 64 KiB value
/// (cut to 16 KiB). The baseline hands the batch straight to the next stage. Figures are per span.
/// </summary>
// Not sealed: BenchmarkDotNet generates a class deriving from it.
[MemoryDiagnoser]
[MedianColumn]
public class SpanLimitsBenchmarks
{
    private const int SpansPerBatch = 100;

    private readonly Discard _next = new();
    private Span[] _realistic = [];
    private Span[] _oversized = [];
    private SpanLimitsStage _stage = null!;
    private ulong _trace;

    [GlobalSetup]
    public void Setup()
    {
        // A large per-trace budget and fresh trace ids per call keep the byte cap out of the way:
        // this measures the per-span work, not drops.
        _stage = new SpanLimitsStage(new SpanLimitsOptions { MaxBytesPerTrace = long.MaxValue / 2 }, _next, new DroppedSpans(null));
        _realistic = Batch(extra: null);
        _oversized = Batch(extra: new string('x', 64 * 1024));
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = SpansPerBatch)]
    public ValueTask Next_stage_directly() => _next.ConsumeAsync(Fresh(_realistic), CancellationToken.None);

    [Benchmark(OperationsPerInvoke = SpansPerBatch)]
    public ValueTask Limits_on_realistic_spans() => _stage.ConsumeAsync(Fresh(_realistic), CancellationToken.None);

    [Benchmark(OperationsPerInvoke = SpansPerBatch)]
    public ValueTask Limits_cutting_a_64_KiB_value_per_span() => _stage.ConsumeAsync(Fresh(_oversized), CancellationToken.None);

    // Every row pays for the same re-keying of the batch onto new traces, so the ratio shows the stage alone.
    private Span[] Fresh(Span[] template)
    {
        var trace = new TraceId(0x5b8efff798038103, ++_trace);
        var batch = new Span[template.Length];
        for (var i = 0; i < batch.Length; i++)
        {
            var span = template[i];
            batch[i] = new Span
            {
                TraceId = trace,
                SpanId = span.SpanId,
                Name = span.Name,
                Kind = span.Kind,
                StartTimeUnixNano = span.StartTimeUnixNano,
                EndTimeUnixNano = span.EndTimeUnixNano,
                Attributes = span.Attributes,
                Events = span.Events,
                Resource = span.Resource,
            };
        }
        return batch;
    }

    private static Span[] Batch(string? extra)
    {
        var resource = new Resource([new("service.name", "checkout"), new("service.version", "2.3.1"), new("host.name", "node-3")]);
        var spans = new Span[SpansPerBatch];
        for (var i = 0; i < spans.Length; i++)
        {
            KeyValue[] attributes =
            [
                new("http.request.method", "GET"),
                new("url.path", "/cart"),
                new("http.response.status_code", 200),
                new("server.address", "shop.example.com"),
                new("db.statement", "SELECT id, sku, quantity FROM cart_items WHERE cart_id = @cart"),
                new("http.request.header.x-request-id", $"req-{i}"),
            ];
            if (extra is not null) attributes = [.. attributes, new("payload", extra)];
            spans[i] = new Span
            {
                TraceId = new TraceId(1, 1),
                SpanId = new SpanId((ulong)i + 1),
                Name = "GET /cart",
                Kind = SpanKind.Server,
                StartTimeUnixNano = 1_735_689_600_000_000_000,
                EndTimeUnixNano = 1_735_689_600_002_000_000,
                Attributes = attributes,
                Events = [new SpanEvent(1_735_689_600_001_000_000, "cache miss", [new("cache.key", "cart:42")])],
                Resource = resource,
            };
        }
        return spans;
    }

    private sealed class Discard : IBatchConsumer
    {
        public ValueTask ConsumeAsync(IReadOnlyList<Span> batch, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
