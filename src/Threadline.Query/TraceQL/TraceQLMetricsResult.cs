namespace Threadline.Query.TraceQL;

/// <summary>The answer to a <see cref="TraceQLMetricsRequest"/>.</summary>
public sealed record TraceQLMetricsResult
{
    public required IReadOnlyList<TraceQLSeries> Series { get; init; }
    public required TraceQLStatistics Statistics { get; init; }

    /// <summary>True when the series were computed from the span metrics kept at ingest, without scanning spans.</summary>
    public bool AnsweredFromIngestMetrics { get; init; }
}

/// <summary>One time series of a metrics result.</summary>
public sealed record TraceQLSeries
{
    /// <summary>The series' labels (its <c>by()</c> values, and e.g. <c>p</c> for a quantile), named as Tempo names them.</summary>
    public required IReadOnlyList<TraceQLAttribute> Labels { get; init; }

    /// <summary>The labels as Tempo prints them: <c>{resource.service.name="api"}</c>.</summary>
    public required string PromLabels { get; init; }

    /// <summary>Samples in time order.</summary>
    public required IReadOnlyList<TraceQLSample> Samples { get; init; }

    public IReadOnlyList<TraceQLExemplar> Exemplars { get; init; } = [];
}

/// <summary>One point of a series: the step's start in Unix milliseconds and its value.</summary>
public readonly record struct TraceQLSample(long TimestampMs, double Value);

/// <summary>A span behind a series value (its trace and span ids among the labels).</summary>
public sealed record TraceQLExemplar(IReadOnlyList<TraceQLAttribute> Labels, double Value, long TimestampMs);
