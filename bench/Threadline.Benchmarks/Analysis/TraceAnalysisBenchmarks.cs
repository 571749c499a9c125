using BenchmarkDotNet.Attributes;
using Threadline.Core.Analysis;
using Threadline.Core.Model;
using Threadline.Core.Synthetic;

namespace Threadline.Benchmarks.Analysis;

/// <summary>
/// The per-trace analyses on one huge, realistic trace (issue #11 targets: critical path plus
/// health of 100,000 spans ≤ 50 ms, of 1,000,000 spans ≤ 1 s). The trace is a long batch job whose
/// root fans out to generated shop requests (HTTP/gRPC calls across twenty services on several
/// hosts, database queries, Kafka consumers), each request's spans grafted under the root. The
/// baseline builds the tree alone, the step every analysis starts with.
/// </summary>
// Not sealed: BenchmarkDotNet generates a class deriving from it.
[MemoryDiagnoser]
[MedianColumn]
public class TraceAnalysisBenchmarks
{
    private Span[] _spans = [];

    [Params(100_000, 1_000_000)]
    public int SpanCount { get; set; }

    [GlobalSetup]
    public void Setup() => _spans = BatchJobTrace(SpanCount);

    [Benchmark(Baseline = true)]
    public TraceTree Tree_only() => TraceTree.Build(_spans);

    [Benchmark]
    public CriticalPathResult Critical_path()
    {
        var tree = TraceTree.Build(_spans);
        return CriticalPath.Compute(tree, ClockSkew.Adjust(tree));
    }

    [Benchmark]
    public IReadOnlyList<HealthFinding> Health()
    {
        var tree = TraceTree.Build(_spans);
        return TraceHealth.Check(tree, ClockSkew.Adjust(tree));
    }

    /// <summary>What the API's two routes do together: one tree and skew correction, then both analyses.</summary>
    [Benchmark]
    public int Critical_path_and_health()
    {
        var tree = TraceTree.Build(_spans);
        var skew = ClockSkew.Adjust(tree);
        return CriticalPath.Compute(tree, skew).Segments.Count + TraceHealth.Check(tree, skew).Count;
    }

    private static Span[] BatchJobTrace(int count)
    {
        const ulong Start = 1_764_547_200_000_000_000;
        var traceId = new TraceId(0x7a11, 0xba7c);
        var rootId = new SpanId(0x0b0b0b0b0b0b0b0b);
        var generator = new RealisticTraceGenerator(seed: 11, Start + 1_000, meanTraceIntervalNanos: 200_000);
        var spans = new List<Span>(count);
        var end = Start;
        while (spans.Count < count - 1)
        {
            foreach (var span in generator.NextTrace())
            {
                if (spans.Count == count - 1) break;
                end = Math.Max(end, span.EndTimeUnixNano);
                spans.Add(new Span
                {
                    TraceId = traceId,
                    SpanId = span.SpanId,
                    ParentSpanId = span.IsRoot ? rootId : span.ParentSpanId,
                    Name = span.Name,
                    Kind = span.Kind,
                    Flags = span.Flags,
                    StartTimeUnixNano = span.StartTimeUnixNano,
                    EndTimeUnixNano = span.EndTimeUnixNano,
                    Attributes = span.Attributes,
                    Events = span.Events,
                    Status = span.Status,
                    Resource = span.Resource,
                    Scope = span.Scope,
                });
            }
        }
        spans.Add(new Span
        {
            TraceId = traceId,
            SpanId = rootId,
            Name = "nightly reindex",
            Kind = SpanKind.Internal,
            Flags = 0x301,
            StartTimeUnixNano = Start,
            EndTimeUnixNano = end + 1_000,
            Resource = spans[0].Resource,
        });
        return [.. spans];
    }
}
