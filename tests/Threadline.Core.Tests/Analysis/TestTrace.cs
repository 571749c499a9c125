using Threadline.Core.Model;

namespace Threadline.Core.Tests.Analysis;

/// <summary>
/// Hand-built traces for the analysis tests: span ids are small numbers, times are milliseconds
/// after a fixed instant, and each service has one resource per host.
/// </summary>
internal sealed class TestTrace
{
    public const ulong Epoch = 1_764_547_200_000_000_000; // 2025-12-01T00:00:00Z

    private readonly Dictionary<(string Service, string Host), Resource> _resources = [];
    private readonly List<Span> _spans = [];

    public TestTrace(ulong traceIdLow = 0xabc) => TraceId = new TraceId(0x1234, traceIdLow);

    public TraceId TraceId { get; }

    public IReadOnlyList<Span> Spans => _spans;

    /// <summary>Nanoseconds at <paramref name="ms"/> milliseconds after <see cref="Epoch"/>.</summary>
    public static ulong At(double ms) => Epoch + (ulong)(ms * 1_000_000);

    public static ulong Ms(double ms) => (ulong)(ms * 1_000_000);

    public TestTrace Add(ulong id, ulong parent, string service, string name, double startMs, double endMs,
        SpanKind kind = SpanKind.Internal, string? host = null, uint flags = 0, SpanLink[]? links = null)
    {
        _spans.Add(Span(id, parent, service, name, At(startMs), At(endMs), kind, host, flags, links));
        return this;
    }

    /// <summary>A span with raw times in nanoseconds (for never-ended and backwards spans).</summary>
    public TestTrace AddRaw(ulong id, ulong parent, string service, string name, ulong start, ulong end, SpanKind kind = SpanKind.Internal, string? host = null)
    {
        _spans.Add(Span(id, parent, service, name, start, end, kind, host, 0, null));
        return this;
    }

    public SpanLink LinkTo(ulong spanId) => new(TraceId, new SpanId(spanId), string.Empty, []);

    private Span Span(ulong id, ulong parent, string service, string name, ulong start, ulong end, SpanKind kind, string? host, uint flags, SpanLink[]? links)
    {
        host ??= service + "-host";
        if (!_resources.TryGetValue((service, host), out var resource))
            _resources[(service, host)] = resource = new Resource([new KeyValue("service.name", service), new KeyValue("host.name", host)]);
        return new Span
        {
            TraceId = TraceId,
            SpanId = new SpanId(id),
            ParentSpanId = new SpanId(parent),
            Name = name,
            Kind = kind,
            StartTimeUnixNano = start,
            EndTimeUnixNano = end,
            Flags = flags,
            Links = links ?? [],
            Resource = resource,
        };
    }
}
