using Threadline.Core.Model;
using Threadline.Pipeline.Sampling.Policies;

namespace Threadline.Pipeline.Tests.Sampling;

/// <summary>Hand-built traces for sampling tests: a root and children, with what each test needs set.</summary>
internal sealed class Traces
{
    public static readonly Resource Frontend = new([new("service.name", "frontend"), new("deployment.environment", "prod")]);
    public static readonly Resource Payments = new([new("service.name", "payments")]);
    private const ulong Epoch = 1_767_225_600_000_000_000;

    private ulong _next;

    public TraceId NewTraceId()
    {
        _next++;
        // Spread over the whole id space so trace-id ratios see uniform ids.
        var high = Mix(_next);
        return new TraceId(high, Mix(high ^ 0x5555));
    }

    public Span Span(TraceId traceId, string name = "GET /cart", bool root = false, double startMs = 0, double durationMs = 10,
        StatusCode status = StatusCode.Unset, Resource? resource = null, string traceState = "", uint flags = 0x01, SpanKind kind = SpanKind.Server,
        params KeyValue[] attributes)
    {
        _next++;
        return new Span
        {
            TraceId = traceId,
            SpanId = new SpanId(Mix(_next) | 1),
            ParentSpanId = root ? SpanId.Empty : new SpanId(0xABCDEF),
            Name = name,
            Kind = kind,
            StartTimeUnixNano = Epoch + (ulong)(startMs * 1e6),
            EndTimeUnixNano = Epoch + (ulong)((startMs + durationMs) * 1e6),
            Status = new SpanStatus(status, ""),
            Resource = resource ?? Frontend,
            TraceState = traceState,
            Flags = flags,
            Attributes = attributes,
        };
    }

    /// <summary>A trace of a root and <paramref name="children"/> children.</summary>
    public Span[] Trace(int children = 2, StatusCode rootStatus = StatusCode.Unset, double durationMs = 10, params KeyValue[] rootAttributes)
    {
        var id = NewTraceId();
        var spans = new Span[children + 1];
        spans[0] = Span(id, "GET /cart", root: true, durationMs: durationMs, status: rootStatus, attributes: rootAttributes);
        for (var i = 1; i <= children; i++) spans[i] = Span(id, "SELECT", startMs: i, durationMs: 1, resource: Payments, kind: SpanKind.Client);
        return spans;
    }

    public static SampledTrace Sampled(params Span[] spans) => new(spans[0].TraceId, spans, spans.Length * 100);

    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EB;
        return x ^ (x >> 31);
    }
}
