using Threadline.Query.TraceQL.Ast;
using Threadline.Core.Model;
using Threadline.Storage;
using Threadline.Storage.Aggregates;
using Threadline.Storage.Fetch;

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

    /// <summary>The spans the function observes: the query's spanset filter, evaluated exactly.</summary>
    public required ISpanSelection Spans { get; init; }

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

/// <summary>The spans a metrics query observes, as the TraceQL evaluator selects them.</summary>
internal interface ISpanSelection
{
    /// <summary>
    /// Calls <paramref name="sink"/> for every span starting in [start, end) that the query's
    /// spanset filter keeps (evaluated exactly: the store's conditions are only hints), with the
    /// values of <paramref name="reads"/> on it, and the whole span when <paramref name="wholeSpans"/>.
    /// </summary>
    /// <returns>Traces and spans inspected.</returns>
    ValueTask<(long Traces, long Spans)> ScanAsync(ITraceStore store, ulong startUnixNano, ulong endUnixNano, TenantId tenant,
        IReadOnlyList<FieldExpression> reads, bool wholeSpans, Action<SelectedSpan> sink, CancellationToken cancellationToken);
}

/// <summary>
/// One selected span as the selection hands it over. Reused from span to span: a sink copies
/// what it keeps.
/// </summary>
internal sealed class SelectedSpan(int reads)
{
    public TraceId TraceId { get; set; }
    public SpanId SpanId { get; set; }
    public ulong StartUnixNano { get; set; }

    /// <summary>The values of the requested fields, in order: durations as integer nanoseconds, statuses and kinds as their names, <see cref="AttributeValue.Empty"/> when absent.</summary>
    public AttributeValue[] Values { get; } = new AttributeValue[reads];

    /// <summary>The whole span, when asked for; null otherwise.</summary>
    public Span? Whole { get; set; }
}
