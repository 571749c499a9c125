using Threadline.Core.Model;

namespace Threadline.Core.Tests.Analysis;

/// <summary>Very large traces of extreme shape, built directly (no per-span dictionary) to keep the tests fast.</summary>
internal static class AnalysisShapes
{
    private static readonly Resource Service = new([new KeyValue("service.name", "deep"), new KeyValue("host.name", "deep-1")]);
    private static readonly TraceId Trace = new(1, 2);

    /// <summary>Span k is the child of span k-1 and runs over [k, 2n - k] µs: nested, each ending after its child.</summary>
    public static List<Span> Chain(int count)
    {
        var spans = new List<Span>(count);
        for (var k = 0; k < count; k++)
        {
            spans.Add(new Span
            {
                TraceId = Trace,
                SpanId = new SpanId((ulong)k + 1),
                ParentSpanId = new SpanId((ulong)k),
                Name = "step",
                StartTimeUnixNano = TestTrace.Epoch + ((ulong)k * 1_000),
                EndTimeUnixNano = TestTrace.Epoch + (((2 * (ulong)count) - (ulong)k) * 1_000),
                Resource = Service,
            });
        }
        return spans;
    }

    /// <summary>One root with count-1 children, child k over [k, k + 1000] µs; the last child ends last.</summary>
    public static List<Span> Wide(int count)
    {
        var spans = new List<Span>(count)
        {
            new()
            {
                TraceId = Trace, SpanId = new SpanId(1), Name = "root", Resource = Service,
                StartTimeUnixNano = TestTrace.Epoch, EndTimeUnixNano = TestTrace.Epoch + (((ulong)count + 1_000) * 1_000),
            },
        };
        for (var k = 1; k < count; k++)
        {
            spans.Add(new Span
            {
                TraceId = Trace,
                SpanId = new SpanId((ulong)k + 1),
                ParentSpanId = new SpanId(1),
                Name = "fan-out",
                StartTimeUnixNano = TestTrace.Epoch + ((ulong)k * 1_000),
                EndTimeUnixNano = TestTrace.Epoch + (((ulong)k + 1_000) * 1_000),
                Resource = Service,
            });
        }
        return spans;
    }
}
