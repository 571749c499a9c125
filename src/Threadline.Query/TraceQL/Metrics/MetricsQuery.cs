using Threadline.Query.TraceQL.Ast;
using Threadline.Storage.Aggregates;

namespace Threadline.Query.TraceQL.Metrics;

/// <summary>
/// A metrics query compiled for evaluation: which spans (<see cref="Spans"/>, and when it can
/// be told from the span-metrics key alone, <see cref="IngestFilter"/>), which function over
/// which field, grouped by what, and what second stage follows.
/// </summary>
internal sealed record MetricsQuery
{
    public required MetricsFunction Function { get; init; }

    /// <summary>The field an <c>*_over_time</c>, quantile or histogram function reads; null for rate and count.</summary>
    public MetricsField? Field { get; init; }

    /// <summary>The quantiles of <c>quantile_over_time</c>, in the order given.</summary>
    public IReadOnlyList<double> Quantiles { get; init; } = [];

    /// <summary>The <c>by()</c> fields, in the order given.</summary>
    public IReadOnlyList<MetricsField> By { get; init; } = [];

    /// <summary>The spans the function observes: the pipeline's spanset expression, evaluated exactly by <see cref="Search.SelectionScanner"/>.</summary>
    public required SpansetExpression Selection { get; init; }

    /// <summary>
    /// The filter as a test on an ingest-time span-metrics key, when it reads only fields the key
    /// has (service, span name, kind, status) with comparisons the key answers exactly; else null.
    /// </summary>
    public Func<SpanMetricsKey, bool>? IngestFilter { get; init; }

    /// <summary>Whether the ingest-time span metrics can answer this query exactly, for any step of whole minutes.</summary>
    public bool IngestEligible =>
        IngestFilter is not null
        && By.All(f => f.IsInIngestKey)
        && Function switch
        {
            MetricsFunction.Rate or MetricsFunction.CountOverTime => true,
            MetricsFunction.QuantileOverTime or MetricsFunction.HistogramOverTime => Field?.Expression is IntrinsicExpression { Intrinsic: Intrinsic.Duration },
            _ => false,
        };
}
