using BenchmarkDotNet.Attributes;
using Threadline.Core.Model;
using Threadline.Storage.Fetch;
using Threadline.Storage.Memory;

namespace Threadline.Benchmarks.Storage;

/// <summary>
/// A query engine's fetch of one attribute value (<c>span.http.route = "/checkout"</c>, one span
/// in eight) over 100,000 stored spans, against the floor: the same condition evaluated over
/// a flat array of the same spans, without snapshots, grouping or result records.
/// </summary>
// Not sealed: BenchmarkDotNet generates a class deriving from it.
[MemoryDiagnoser]
[MedianColumn]
public class MemoryStoreFetchBenchmarks
{
    private const int SpanCount = 100_000;
    private const int SpansPerTrace = 10;

    private static readonly string[] Routes = ["/cart", "/checkout", "/product/{id}", "/search", "/account", "/orders/{id}", "/health", "/recommendations"];

    private readonly Condition _condition = new(ConditionScope.Span, "http.route", ConditionOperator.Equal, StaticValue.String("/checkout"));
    private Span[] _spans = [];
    private MemoryTraceStore _store = null!;
    private FetchSpansRequest _request = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var resource = new Resource([new("service.name", "frontend"), new("host.name", "node-1")]);
        _spans = new Span[SpanCount];
        for (var i = 0; i < SpanCount; i++)
        {
            var trace = (ulong)(i / SpansPerTrace) + 1;
            var start = 1_735_689_600_000_000_000UL + trace * 1_000_000 + (ulong)(i % SpansPerTrace) * 10_000;
            _spans[i] = new Span
            {
                TraceId = new TraceId(trace * 0x9E3779B97F4A7C15, trace),
                SpanId = new SpanId((ulong)i + 1),
                ParentSpanId = i % SpansPerTrace == 0 ? SpanId.Empty : new SpanId((ulong)(i - i % SpansPerTrace) + 1),
                Name = "GET",
                Kind = SpanKind.Internal,
                StartTimeUnixNano = start,
                EndTimeUnixNano = start + (ulong)random.Next(50_000, 5_000_000),
                Attributes =
                [
                    new("http.request.method", "GET"),
                    new("http.route", Routes[random.Next(Routes.Length)]),
                    new("http.response.status_code", 200),
                ],
                Resource = resource,
            };
        }
        _store = new MemoryTraceStore(new MemoryStoreOptions { MaxSpans = SpanCount });
        for (var i = 0; i < SpanCount; i += 1_000)
            _store.AppendAsync(new ArraySegment<Span>(_spans, i, 1_000), CancellationToken.None).AsTask().GetAwaiter().GetResult();
        _request = new FetchSpansRequest { Conditions = [_condition] };
    }

    [Benchmark(Baseline = true)]
    public int Evaluate_condition_over_an_array()
    {
        var matches = 0;
        foreach (var span in _spans)
        {
            if (ConditionEvaluator.Matches(_condition, span)) matches++;
        }
        return matches;
    }

    [Benchmark]
    public async Task<int> Fetch_one_attribute_value()
    {
        var matches = 0;
        await foreach (var set in _store.FetchSpansAsync(_request, CancellationToken.None)) matches += set.Spans.Count;
        return matches;
    }
}
