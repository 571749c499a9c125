using Threadline.Core.Model;

namespace Threadline.Storage.Tests;

/// <summary>
/// Realistic spans for store tests: services with the resource attributes an OpenTelemetry SDK
/// sends, HTTP and database spans with semantic-convention attributes, and fixed timestamps so
/// every run builds the same data. Ids come from a counter mixed by an odd multiplier (a
/// bijection), so ids never repeat within a factory, nor across factories of different streams.
/// </summary>
internal sealed class SpanFactory(int stream = 0)
{
    /// <summary>2025-01-01T00:00:00Z in Unix ns: every test timestamp is an offset from here.</summary>
    public const ulong Epoch = 1_735_689_600_000_000_000;

    public const ulong Millisecond = 1_000_000;

    private ulong _nextTraceId = (ulong)stream << 40;
    private ulong _nextSpanId = (ulong)stream << 40;

    public static readonly Resource Frontend = Service("frontend", "web-1");
    public static readonly Resource Checkout = Service("checkout", "pod-checkout-7f9c");
    public static readonly Resource Payments = Service("payments", "pod-payments-2b1d");

    public static Resource Service(string name, string host) => new(
    [
        new("service.name", name),
        new("service.version", "1.4.2"),
        new("host.name", host),
        new("telemetry.sdk.language", "dotnet"),
    ]);

    public static InstrumentationScope AspNetCore { get; } = new("Microsoft.AspNetCore", "10.0.0");

    public static ulong At(double milliseconds) => Epoch + (ulong)(milliseconds * Millisecond);

    public TraceId NewTraceId()
    {
        _nextTraceId++;
        return new TraceId(0x4bf92f3577b34da6, _nextTraceId * 0x9E3779B97F4A7C15);
    }

    public SpanId NewSpanId()
    {
        _nextSpanId++;
        return new SpanId(_nextSpanId * 0xC2B2AE3D27D4EB4F);
    }

    /// <summary>A span starting <paramref name="startMs"/> after <see cref="Epoch"/> and lasting <paramref name="durationMs"/>.</summary>
    public Span Make(
        TraceId traceId,
        string name,
        Resource? resource = null,
        double startMs = 0,
        double durationMs = 10,
        SpanId parent = default,
        SpanKind kind = SpanKind.Server,
        StatusCode status = StatusCode.Unset,
        params KeyValue[] attributes) => new()
    {
        TraceId = traceId,
        SpanId = NewSpanId(),
        ParentSpanId = parent,
        Name = name,
        Kind = kind,
        StartTimeUnixNano = At(startMs),
        EndTimeUnixNano = At(startMs + durationMs),
        Status = status == StatusCode.Error ? new SpanStatus(status, "upstream returned 503") : new SpanStatus(status, string.Empty),
        Attributes = attributes,
        Resource = resource ?? Frontend,
        Scope = AspNetCore,
        Flags = 0x301,
    };

    /// <summary>
    /// A three-service checkout trace: frontend server span (root), checkout server span,
    /// payments client span to a database. <paramref name="paymentsFails"/> marks the payments
    /// span and its parent as errors, as an instrumented service propagating a failure would.
    /// </summary>
    public Span[] CheckoutTrace(TraceId traceId, double startMs = 0, bool paymentsFails = false)
    {
        var root = Make(traceId, "POST /checkout", Frontend, startMs, 120,
            attributes: [new("http.request.method", "POST"), new("url.path", "/checkout"), new("http.response.status_code", paymentsFails ? 500 : 200)]);
        var checkout = Make(traceId, "PlaceOrder", Checkout, startMs + 5, 100, root.SpanId,
            status: paymentsFails ? StatusCode.Error : StatusCode.Unset,
            attributes: [new("rpc.system", "grpc"), new("order.items", 3)]);
        var payments = Make(traceId, "SELECT payments", Payments, startMs + 20, 60, checkout.SpanId, SpanKind.Client,
            paymentsFails ? StatusCode.Error : StatusCode.Ok,
            attributes: [new("db.system", "postgresql"), new("db.statement", "SELECT * FROM payments WHERE id = $1")]);
        return [root, checkout, payments];
    }
}
