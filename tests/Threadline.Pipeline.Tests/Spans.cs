using Threadline.Core.Model;

namespace Threadline.Pipeline.Tests;

/// <summary>Batches of distinct spans, as a receiver would decode them from one request.</summary>
internal static class Spans
{
    private static long s_next;
    private static readonly Resource Checkout = new([new("service.name", "checkout")]);

    /// <summary>A batch of <paramref name="count"/> spans of one new trace.</summary>
    public static Span[] Batch(int count)
    {
        var trace = (ulong)Interlocked.Increment(ref s_next);
        var traceId = new TraceId(0x5b8efff798038103, trace * 0x9E3779B97F4A7C15);
        var spans = new Span[count];
        for (var i = 0; i < count; i++)
        {
            spans[i] = new Span
            {
                TraceId = traceId,
                SpanId = new SpanId(((trace << 20) + (uint)(i + 1)) * 0xC2B2AE3D27D4EB4F),
                Name = "GET /cart",
                Kind = SpanKind.Server,
                StartTimeUnixNano = 1_735_689_600_000_000_000 + (ulong)i * 1_000,
                EndTimeUnixNano = 1_735_689_600_000_000_000 + (ulong)i * 1_000 + 500_000,
                Resource = Checkout,
            };
        }
        return spans;
    }
}
