using Threadline.Core.Model;

namespace Threadline.Protocol.Tempo;

/// <summary>Tempo's <c>tempopb.QueryRangeResponse</c> (<c>/api/metrics/query_range</c>, streaming MetricsQueryRange).</summary>
public sealed record TempoQueryRangeResponse(IReadOnlyList<TempoTimeSeries> Series, TempoSearchMetrics Metrics);

/// <summary>
/// Tempo's <c>tempopb.TimeSeries</c> as of Tempo 2.7: typed labels, samples oldest first, the
/// labels flattened as <c>promLabels</c>, and exemplars.
/// </summary>
public sealed record TempoTimeSeries(IReadOnlyList<KeyValue> Labels, string PromLabels, IReadOnlyList<TempoSample> Samples, IReadOnlyList<TempoExemplar> Exemplars);

/// <summary>Tempo's <c>tempopb.Sample</c>.</summary>
public readonly record struct TempoSample(long TimestampMs, double Value);

/// <summary>Tempo's <c>tempopb.Exemplar</c>.</summary>
public sealed record TempoExemplar(IReadOnlyList<KeyValue> Labels, double Value, long TimestampMs);

/// <summary>Tempo's <c>tempopb.QueryInstantResponse</c> (<c>/api/metrics/query</c>).</summary>
public sealed record TempoQueryInstantResponse(IReadOnlyList<TempoInstantSeries> Series, TempoSearchMetrics Metrics);

/// <summary>Tempo's <c>tempopb.InstantSeries</c>: one value per series.</summary>
public sealed record TempoInstantSeries(IReadOnlyList<KeyValue> Labels, string PromLabels, double Value);
