using Threadline.Core.Model;
using Threadline.Query.TraceQL;
using Threadline.Storage.Memory;

namespace Threadline.Query.Tests.TraceQL;

/// <summary>
/// One hand-built trace whose every answer can be worked out by hand:
/// <code>
/// A  frontend  "GET /checkout"  server  100ms
/// ├─ B  checkout  "POST /cart"  server  60ms  error
/// │  ├─ D  checkout  "SELECT"     client  20ms  db.system=sqlite  (scope Microsoft.Data.Sqlite)
/// │  └─ E  checkout  "cache get"  client   5ms  error, event "exception" {exception.message=timeout}
/// └─ C  payments  "charge"      server  30ms  tags=[a, b], size=7
///    └─ F  payments  "INSERT"     client  10ms  db.system=sqlite, error, size=5, a link
/// </code>
/// Spans start in the order A (0 ms), B (1), C (2), D (3), E (4), F (5).
/// </summary>
internal static class CheckoutTrace
{
    public const ulong Start = 1_700_000_000_000_000_000;
    public const ulong Millisecond = 1_000_000;

    public static readonly TraceId TraceId = new(0x4bf92f3577b34da6, 0xa3ce929d0e0e4736);
    public static readonly TraceId LinkedTraceId = new(0x1111, 0x2222);

    public static readonly Resource Frontend = Service("frontend");
    public static readonly Resource Checkout = Service("checkout");
    public static readonly Resource Payments = Service("payments");

    public static Resource Service(string name) => new([new("service.name", name), new("host.name", name + "-1")]);

    public static IReadOnlyList<Span> Spans(TraceId? traceId = null, ulong offset = 0)
    {
        var id = traceId ?? TraceId;
        var sqlite = new InstrumentationScope("Microsoft.Data.Sqlite", "9.0.0");
        return
        [
            Make(id, 1, 0, "GET /checkout", Frontend, 0 + offset, 100, SpanKind.Server),
            Make(id, 2, 1, "POST /cart", Checkout, 1 + offset, 60, SpanKind.Server, StatusCode.Error),
            Make(id, 3, 1, "charge", Payments, 2 + offset, 30, SpanKind.Server,
                attributes: [new("tags", AttributeValue.FromArray(["a", "b"])), new("size", 7)]),
            Make(id, 4, 2, "SELECT", Checkout, 3 + offset, 20, SpanKind.Client, scope: sqlite, attributes: [new("db.system", "sqlite")]),
            Make(id, 5, 2, "cache get", Checkout, 4 + offset, 5, SpanKind.Client, StatusCode.Error,
                events: [new SpanEvent(Start + ((4 + offset) * Millisecond) + 1_000_000, "exception", [new("exception.message", "timeout")])]),
            Make(id, 6, 3, "INSERT", Payments, 5 + offset, 10, SpanKind.Client, StatusCode.Error,
                attributes: [new("db.system", "sqlite"), new("size", 5)],
                links: [new SpanLink(LinkedTraceId, new SpanId(0x33), string.Empty, [new("link.kind", "batch")])]),
        ];
    }

    public static async Task<TraceQLEngine> EngineAsync(params IReadOnlyList<Span>[] traces)
    {
        var store = new MemoryTraceStore();
        if (traces.Length == 0) traces = [Spans()];
        foreach (var trace in traces) await store.AppendAsync(trace, CancellationToken.None);
        return new TraceQLEngine(store, new TraceQLOptions());
    }

    public static TraceQLSearchRequest Request(string query, int spss = 100, int limit = 20) => new()
    {
        Query = query,
        StartUnixNano = Start - (3_600_000 * Millisecond),
        EndUnixNano = Start + (3_600_000 * Millisecond),
        SpansPerSpanset = spss,
        Limit = limit,
    };

    private static Span Make(
        TraceId traceId, ulong id, ulong parent, string name, Resource resource, ulong startMs, ulong durationMs, SpanKind kind,
        StatusCode status = StatusCode.Unset, InstrumentationScope? scope = null, KeyValue[]? attributes = null,
        SpanEvent[]? events = null, SpanLink[]? links = null) => new()
    {
        TraceId = traceId,
        SpanId = new SpanId(id),
        ParentSpanId = new SpanId(parent),
        Name = name,
        Kind = kind,
        StartTimeUnixNano = Start + (startMs * Millisecond),
        EndTimeUnixNano = Start + ((startMs + durationMs) * Millisecond),
        Status = status == StatusCode.Error ? new SpanStatus(StatusCode.Error, "failed") : new SpanStatus(status, string.Empty),
        Resource = resource,
        Scope = scope ?? InstrumentationScope.Empty,
        Attributes = attributes ?? [],
        Events = events ?? [],
        Links = links ?? [],
    };
}
