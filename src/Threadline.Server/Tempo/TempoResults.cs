using Threadline.Core.Model;
using Threadline.Protocol.Tempo;
using Threadline.Query.TraceQL;

namespace Threadline.Server.Tempo;

/// <summary>The TraceQL engine's answers as Tempo's messages, the one mapping every API that speaks Tempo's shapes uses.</summary>
internal static class TempoResults
{
    public static TempoSearchResponse From(TraceQLSearchResult result) => new(
        result.Traces.Select(trace => new TempoTraceSearchMetadata
        {
            TraceId = trace.TraceId,
            RootServiceName = trace.RootServiceName,
            RootTraceName = trace.RootSpanName,
            StartTimeUnixNano = trace.StartUnixNano,
            // Tempo truncates to whole milliseconds (a trace shorter than 1 ms has none, and omits the field).
            DurationMs = (uint)Math.Min(trace.DurationNanos / 1_000_000, uint.MaxValue),
            SpanSets = trace.Spansets.Select(spanset => new TempoSpanSet(
                spanset.Spans.Select(span => new TempoSpan(span.SpanId, span.Name, span.StartUnixNano, span.DurationNanos, KeyValues(span.Attributes))).ToArray(),
                (uint)Math.Max(spanset.Matched, 0),
                KeyValues(spanset.Attributes))).ToArray(),
        }).ToArray(),
        Metrics(result.Statistics));

    public static TempoQueryRangeResponse RangeFrom(TraceQLMetricsResult result) => new(
        result.Series.Select(series => new TempoTimeSeries(
            KeyValues(series.Labels),
            series.PromLabels,
            series.Samples.Select(sample => new TempoSample(sample.TimestampMs, sample.Value)).ToArray(),
            series.Exemplars.Select(exemplar => new TempoExemplar(KeyValues(exemplar.Labels), exemplar.Value, exemplar.TimestampMs)).ToArray())).ToArray(),
        Metrics(result.Statistics));

    /// <summary>An instant result: each series' one sample (the engine gives one per series for the whole range).</summary>
    public static TempoQueryInstantResponse InstantFrom(TraceQLMetricsResult result) => new(
        result.Series.Select(series => new TempoInstantSeries(
            KeyValues(series.Labels),
            series.PromLabels,
            series.Samples.Count > 0 ? series.Samples[^1].Value : 0)).ToArray(),
        Metrics(result.Statistics));

    private static TempoSearchMetrics Metrics(TraceQLStatistics statistics) => new()
    {
        InspectedTraces = (uint)Math.Clamp(statistics.InspectedTraces, 0, uint.MaxValue),
        InspectedBytes = (ulong)Math.Max(statistics.InspectedBytes, 0),
        InspectedSpans = (ulong)Math.Max(statistics.InspectedSpans, 0),
    };

    private static KeyValue[] KeyValues(IReadOnlyList<TraceQLAttribute> attributes) =>
        attributes.Select(attribute => new KeyValue(attribute.Name, attribute.Value)).ToArray();
}
