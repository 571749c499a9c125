using Threadline.Core.Model;

namespace Threadline.Query.Tests.Analysis;

/// <summary>Hand-built spans at known minutes with known durations, so that RED and the service graph have known answers.</summary>
internal sealed class AggregateSpans
{
    /// <summary>2023-11-14T22:13:00Z, a whole minute, in Unix ns.</summary>
    public const ulong Origin = 1_699_999_980_000_000_000;

    public const ulong Millisecond = 1_000_000;
    public const ulong Minute = 60_000_000_000;

    private ulong _next;

    public static Resource Service(string name) => new([new("service.name", name)]);

    public TraceId NewTrace() => new(0x1234, ++_next);

    public Span Make(Resource service, string name, SpanKind kind, double minute, double durationMs,
        StatusCode status = StatusCode.Unset, TraceId? trace = null, SpanId parent = default, params KeyValue[] attributes)
    {
        var start = Origin + (ulong)(minute * Minute);
        return new Span
        {
            TraceId = trace ?? NewTrace(),
            SpanId = new SpanId(++_next),
            ParentSpanId = parent,
            Name = name,
            Kind = kind,
            StartTimeUnixNano = start,
            EndTimeUnixNano = start + (ulong)(durationMs * Millisecond),
            Status = new SpanStatus(status, string.Empty),
            Resource = service,
            Attributes = attributes,
        };
    }
}

/// <summary>A clock the test moves by hand, to end the service-graph pairing wait.</summary>
internal sealed class ManualClock : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => _ticks;

    public void Advance(TimeSpan by) => _ticks += by.Ticks;
}
