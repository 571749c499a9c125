using Threadline.Core.Model;
using Threadline.Query.TraceQL;

namespace Threadline.Server.Tests.Tempo;

/// <summary>Engine answers whose Tempo JSON the golden files spell out by hand.</summary>
internal static class TempoResultsFixture
{
    public static TraceQLSearchResult Search { get; } = new()
    {
        Traces =
        [
            new TraceQLTrace
            {
                TraceId = new TraceId(0, 0x2f3e0cee77ae5dc9),
                RootServiceName = "api-gateway",
                RootSpanName = "GET /cart",
                StartUnixNano = 1_700_000_000_123_456_789,
                DurationNanos = 12_345_678,
                Spansets =
                [
                    new TraceQLSpanset
                    {
                        Spans =
                        [
                            new TraceQLSpan
                            {
                                SpanId = new SpanId(0x00f0000000000abc), Name = "SELECT cart",
                                StartUnixNano = 1_700_000_000_125_000_000, DurationNanos = 10_000_000,
                                Attributes = [new("span.db.system.name", "sqlite"), new("span.http.response.status_code", 500L)],
                            },
                        ],
                        Matched = 4,
                        Attributes = [new("by(resource.service.name)", "cart"), new("avg(duration)", 0.5)],
                    },
                ],
            },
            // A trace whose root has not arrived, shorter than a millisecond, with no spanset to show.
            new TraceQLTrace
            {
                TraceId = new TraceId(0, 0xabc),
                RootServiceName = "<root span not yet received>",
                RootSpanName = string.Empty,
                StartUnixNano = 1_699_999_999_000_000_000,
                DurationNanos = 999_999,
                Spansets = [],
            },
        ],
        Statistics = new TraceQLStatistics { InspectedTraces = 7, InspectedSpans = 42 },
    };

    public static TraceQLMetricsResult Metrics { get; } = new()
    {
        Series =
        [
            new TraceQLSeries
            {
                Labels = [new("resource.service.name", "api")],
                PromLabels = "{resource.service.name=\"api\"}",
                Samples = [new(1_700_000_000_000, 0.5), new(1_700_000_060_000, 0)],
                Exemplars = [new([new("trace:id", "2f3e0cee77ae5dc9")], 0.25, 1_700_000_001_000)],
            },
        ],
        Statistics = new TraceQLStatistics { InspectedTraces = 3, InspectedSpans = 30 },
    };

    public static TraceQLMetricsResult Instant { get; } = Metrics with
    {
        Series = [Metrics.Series[0] with { Samples = [new(1_700_000_000_000, 7.5)], Exemplars = [] }],
    };
}
