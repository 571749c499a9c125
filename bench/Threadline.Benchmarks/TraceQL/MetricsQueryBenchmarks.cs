using BenchmarkDotNet.Attributes;
using Threadline.Core.Model;
using Threadline.Query.TraceQL;
using Threadline.Storage.Memory;

namespace Threadline.Benchmarks.TraceQL;

/// <summary>
/// <c>{ } | rate() by (resource.service.name)</c> over one hour of realistic spans (12 services,
/// 4 operations each, HTTP attributes, 2 % errors) at two store sizes: answered from the
/// ingest-time span metrics (1-minute step) against the baseline, the same query scanned
/// (a 30-second step, which the per-minute aggregates cannot answer). The ingest path should
/// cost the same at both sizes; the scan grows with the spans.
/// </summary>
// Not sealed: BenchmarkDotNet generates a class deriving from it.
[MemoryDiagnoser]
[MedianColumn]
public class MetricsQueryBenchmarks
{
    private const ulong Hour = 3_600_000_000_000;
    private const ulong Origin = 1_767_225_600_000_000_000;
    private const string Query = "{ } | rate() by (resource.service.name)";

    private static readonly string[] Services =
        ["api-gateway", "checkout", "cart", "catalog", "payments", "shipping", "users", "search", "recommendations", "email", "currency", "ads"];

    private static readonly string[] Operations = ["GET /items", "POST /orders", "GET /health", "SELECT"];

    private TraceQLEngine _engine = null!;

    [Params(100_000, 1_000_000)]
    public int Spans { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var resources = Services.Select(s => new Resource([new("service.name", s), new("host.name", s + "-1")])).ToArray();
        var store = new MemoryTraceStore(new MemoryStoreOptions { MaxSpans = Spans });
        const int perTrace = 8;
        var batch = new List<Span>(1_000);
        for (var i = 0; i < Spans; i++)
        {
            var trace = (ulong)(i / perTrace) + 1;
            var start = Origin + (ulong)((double)i / Spans * Hour);
            var service = random.Next(Services.Length);
            var failed = random.Next(50) == 0;
            batch.Add(new Span
            {
                TraceId = new TraceId(trace * 0x9E3779B97F4A7C15, trace),
                SpanId = new SpanId((ulong)i + 1),
                ParentSpanId = i % perTrace == 0 ? SpanId.Empty : new SpanId((ulong)(i - i % perTrace) + 1),
                Name = Operations[random.Next(Operations.Length)],
                Kind = i % perTrace == 0 ? SpanKind.Server : SpanKind.Client,
                StartTimeUnixNano = start,
                EndTimeUnixNano = start + (ulong)(Math.Exp(random.NextDouble() * 8) * 10_000),
                Status = new SpanStatus(failed ? StatusCode.Error : StatusCode.Unset, failed ? "failed" : string.Empty),
                Attributes =
                [
                    new("http.request.method", "GET"),
                    new("http.route", "/items/{id}"),
                    new("http.response.status_code", failed ? 500 : 200),
                ],
                Resource = resources[service],
            });
            if (batch.Count == 1_000)
            {
                store.AppendAsync(batch, CancellationToken.None).AsTask().GetAwaiter().GetResult();
                batch = new List<Span>(1_000);
            }
        }
        if (batch.Count > 0) store.AppendAsync(batch, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        _engine = new TraceQLEngine(store, new TraceQLOptions());
    }

    [Benchmark(Baseline = true)]
    public async Task<int> Scan_30s_steps() => await RunAsync(30_000_000_000);

    [Benchmark]
    public async Task<int> Ingest_metrics_1m_steps() => await RunAsync(60_000_000_000);

    private async Task<int> RunAsync(ulong step)
    {
        var result = await _engine.QueryRangeAsync(
            new TraceQLMetricsRequest { Query = Query, StartUnixNano = Origin, EndUnixNano = Origin + Hour, StepNanos = step },
            CancellationToken.None);
        return result.Series.Count;
    }
}
