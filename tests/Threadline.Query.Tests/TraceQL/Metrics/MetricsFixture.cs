using Threadline.Core.Model;
using Threadline.Query.TraceQL;
using Threadline.Storage.Memory;

namespace Threadline.Query.Tests.TraceQL.Metrics;

/// <summary>
/// Hand-built spans at known offsets from a minute-aligned origin, stored twice: in a memory
/// store keeping ingest-time span metrics and in one that does not, so that a test can ask the
/// same query of both paths (the second can only scan).
/// </summary>
internal sealed class MetricsFixture
{
    /// <summary>2026-01-01T00:00:00Z, a whole minute (and hour).</summary>
    public const ulong Origin = 1_767_225_600_000_000_000;

    public const ulong Second = 1_000_000_000;
    public const ulong Minute = 60 * Second;
    public const ulong Millisecond = 1_000_000;
    public const long OriginMs = (long)(Origin / Millisecond);

    private readonly List<Span> _spans = [];
    private ulong _nextId = 1;

    public TraceQLOptions Options { get; } = new();

    /// <summary>Adds a root span of its own trace starting <paramref name="offset"/> ns after the origin.</summary>
    public MetricsFixture Add(ulong offset, string service = "api", string name = "GET /", ulong durationNanos = 10 * Millisecond,
        SpanKind kind = SpanKind.Server, StatusCode status = StatusCode.Unset, params KeyValue[] attributes)
    {
        var id = _nextId++;
        _spans.Add(new Span
        {
            TraceId = new TraceId(id * 0x9E3779B97F4A7C15, id),
            SpanId = new SpanId(id),
            Name = name,
            Kind = kind,
            StartTimeUnixNano = Origin + offset,
            EndTimeUnixNano = Origin + offset + durationNanos,
            Status = new SpanStatus(status, status == StatusCode.Error ? "failed" : string.Empty),
            Attributes = attributes,
            Resource = new Resource([new("service.name", service)]),
        });
        return this;
    }

    /// <summary>Adds a child of the span added last, in its trace, starting <paramref name="offset"/> ns after the origin.</summary>
    public MetricsFixture AddChild(ulong offset, string service, string name, ulong durationNanos = 1 * Millisecond)
    {
        var parent = _spans[^1];
        var id = _nextId++;
        _spans.Add(new Span
        {
            TraceId = parent.TraceId,
            SpanId = new SpanId(id),
            ParentSpanId = parent.SpanId,
            Name = name,
            Kind = SpanKind.Client,
            StartTimeUnixNano = Origin + offset,
            EndTimeUnixNano = Origin + offset + durationNanos,
            Resource = new Resource([new("service.name", service)]),
        });
        return this;
    }

    /// <summary>The engine over a store with ingest-time span metrics (true) or without (false: every query scans).</summary>
    public async Task<TraceQLEngine> EngineAsync(bool ingestMetrics = true, TimeProvider? time = null)
    {
        var store = new MemoryTraceStore(new MemoryStoreOptions { KeepAggregates = ingestMetrics });
        await store.AppendAsync(_spans, CancellationToken.None);
        return new TraceQLEngine(store, Options, time);
    }

    public static TraceQLMetricsRequest Request(string query, ulong from, ulong to, ulong step = 0, int exemplars = 0) => new()
    {
        Query = query,
        StartUnixNano = Origin + from,
        EndUnixNano = Origin + to,
        StepNanos = step,
        MaxExemplars = exemplars,
    };

    /// <summary>Runs a range query on both paths and checks that they give the same series.</summary>
    public async Task<TraceQLMetricsResult> BothPathsAsync(TraceQLMetricsRequest request)
    {
        var fromIngest = await (await EngineAsync(ingestMetrics: true)).QueryRangeAsync(request, CancellationToken.None);
        var scanned = await (await EngineAsync(ingestMetrics: false)).QueryRangeAsync(request, CancellationToken.None);
        Assert.True(fromIngest.AnsweredFromIngestMetrics, $"{request.Query} should be answered from ingest-time span metrics");
        Assert.False(scanned.AnsweredFromIngestMetrics);
        Assert.Equal(Describe(scanned), Describe(fromIngest));
        return fromIngest;
    }

    /// <summary>Series as comparable text: labels, then every sample.</summary>
    public static IReadOnlyList<string> Describe(TraceQLMetricsResult result) =>
        [.. result.Series.Select(s => s.PromLabels + " " + string.Join(" ", s.Samples.Select(p => $"{p.TimestampMs - OriginMs}:{p.Value:R}")))];

    /// <summary>The samples of the one series with these printed labels, as (ms after origin, value).</summary>
    public static IReadOnlyList<(long Ms, double Value)> Samples(TraceQLMetricsResult result, string promLabels)
    {
        var series = Assert.Single(result.Series, s => s.PromLabels == promLabels);
        return [.. series.Samples.Select(p => (p.TimestampMs - OriginMs, p.Value))];
    }

    /// <summary>A clock stopped at a given instant.</summary>
    public sealed class StoppedClock(ulong unixNano) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeMilliseconds((long)(unixNano / Millisecond));
    }
}
