using Threadline.Core.Model;

namespace Threadline.Server.Tests.Infrastructure;

/// <summary>Builds spans and traces for tests, with unique ids per call.</summary>
internal static class TestSpans
{
    private static long _next = 0x1000;

    public static TraceId NewTraceId()
    {
        var n = (ulong)Interlocked.Increment(ref _next);
        return new TraceId(0x0af7651916cd43dd, 0x8448eb211c800000 | n);
    }

    public static SpanId NewSpanId() => new((ulong)Interlocked.Increment(ref _next) | 0x00f0000000000000);

    public static Resource ServiceResource(string service) =>
        new([new KeyValue("service.name", service), new KeyValue("host.name", "test-host")]);

    /// <summary>A root span (server) and a child (client), in one trace.</summary>
    public static Span[] Trace(string service = "checkout", string rootName = "GET /cart", ulong startUnixNano = 1_700_000_000_000_000_000)
    {
        var traceId = NewTraceId();
        var resource = ServiceResource(service);
        var scope = new InstrumentationScope("test-scope", "1.0.0");
        var rootId = NewSpanId();
        var root = new Span
        {
            TraceId = traceId,
            SpanId = rootId,
            Name = rootName,
            Kind = SpanKind.Server,
            StartTimeUnixNano = startUnixNano,
            EndTimeUnixNano = startUnixNano + 150_000_000,
            Attributes = [new KeyValue("http.route", "/cart"), new KeyValue("http.response.status_code", 200L)],
            Status = new SpanStatus(StatusCode.Ok, string.Empty),
            Resource = resource,
            Scope = scope,
        };
        var child = new Span
        {
            TraceId = traceId,
            SpanId = NewSpanId(),
            ParentSpanId = rootId,
            Name = "SELECT carts",
            Kind = SpanKind.Client,
            StartTimeUnixNano = startUnixNano + 10_000_000,
            EndTimeUnixNano = startUnixNano + 40_000_000,
            Attributes = [new KeyValue("db.system", "postgresql")],
            Events = [new SpanEvent(startUnixNano + 20_000_000, "retry", [new KeyValue("attempt", 2L)])],
            Status = new SpanStatus(StatusCode.Error, "timeout"),
            Resource = resource,
            Scope = scope,
        };
        return [root, child];
    }
}
