using Threadline.Core.Model;
using Threadline.Storage.Aggregates;
using Threadline.Storage.Fetch;

namespace Threadline.Storage;

/// <summary>
/// Where spans are kept. Every engine (memory, embedded, ClickHouse) implements this contract
/// and runs the same conformance suite (tests/Threadline.Storage.Tests/TraceStoreConformance).
/// Implementations are safe for concurrent use.
/// </summary>
public interface ITraceStore
{
    /// <summary>
    /// Adds spans. The task completes only when the spans are as durable as this engine makes
    /// them (in memory for the memory engine, fsynced for the embedded one) and visible to reads.
    /// Spans of one trace may arrive across many calls, in any order.
    /// </summary>
    ValueTask AppendAsync(IReadOnlyList<Span> spans, CancellationToken cancellationToken);

    /// <summary>
    /// Counts spans in the ingest-time span metrics and service-graph edges without storing them:
    /// the spans a tail sampler dropped, so that RED and the service map stay true while storage
    /// shrinks. Spans passed here must never also be appended (they would be counted twice). The
    /// task completes when the counts are as durable as this engine keeps its aggregates. An
    /// engine that keeps no aggregates completes at once.
    /// </summary>
    ValueTask RecordAggregatesAsync(IReadOnlyList<Span> spans, CancellationToken cancellationToken);

    /// <summary>Every stored span of the trace, ordered by start time; empty when the trace is unknown.</summary>
    ValueTask<IReadOnlyList<Span>> GetTraceAsync(TraceId traceId, CancellationToken cancellationToken);

    /// <summary>
    /// Traces with at least one span matching every span-level filter of <paramref name="query"/>,
    /// newest first (by trace start), at most <see cref="TraceQuery.Limit"/>.
    /// </summary>
    ValueTask<IReadOnlyList<TraceSummary>> SearchAsync(TraceQuery query, CancellationToken cancellationToken);

    /// <summary>Service names seen, sorted ordinally.</summary>
    ValueTask<IReadOnlyList<string>> GetServicesAsync(CancellationToken cancellationToken);

    /// <summary>Span names and kinds seen for a service, sorted by name then kind.</summary>
    ValueTask<IReadOnlyList<Operation>> GetOperationsAsync(string service, CancellationToken cancellationToken);

    /// <summary>Attribute keys seen on spans and resources, sorted ordinally.</summary>
    ValueTask<IReadOnlyList<string>> GetTagKeysAsync(CancellationToken cancellationToken);

    /// <summary>Distinct values (as text) seen for an attribute key, sorted ordinally, at most <paramref name="limit"/>.</summary>
    ValueTask<IReadOnlyList<string>> GetTagValuesAsync(string key, int limit, CancellationToken cancellationToken);

    // ---- for query engines (TraceQL, analysis); every request carries a tenant ----

    /// <summary>
    /// Every stored span of the trace, ordered by start time, when the trace overlaps the
    /// request's hint window; empty when the trace is unknown or lies wholly outside it.
    /// </summary>
    ValueTask<IReadOnlyList<Span>> GetTraceAsync(TraceByIdRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// The spans starting in the request's range that satisfy its conditions (all or any, as
    /// asked), one <see cref="Spanset"/> per trace, streamed in no promised order. Conditions
    /// are pruning hints: an engine may also return spans that fail them, never omit one that
    /// passes. Stopping the enumeration stops the work.
    /// </summary>
    IAsyncEnumerable<Spanset> FetchSpansAsync(FetchSpansRequest request, CancellationToken cancellationToken);

    /// <summary>Services with a span starting in the range, sorted ordinally.</summary>
    ValueTask<IReadOnlyList<string>> GetServicesAsync(CatalogRequest request, CancellationToken cancellationToken);

    /// <summary>Span names and kinds of a service's spans starting in the range, sorted by name then kind.</summary>
    ValueTask<IReadOnlyList<Operation>> GetOperationsAsync(CatalogRequest request, string service, CancellationToken cancellationToken);

    /// <summary>
    /// Attribute keys in one scope (span, resource, event, link; <see cref="ConditionScope.Any"/>
    /// for span and resource together) on spans starting in the range, sorted ordinally.
    /// </summary>
    ValueTask<IReadOnlyList<string>> GetAttributeKeysAsync(CatalogRequest request, ConditionScope scope, CancellationToken cancellationToken);

    /// <summary>
    /// Distinct typed values of an attribute in one scope on spans starting in the range: strings,
    /// integers, doubles and bools as they are (<c>500</c> and <c>"500"</c> are two values), sorted
    /// by type then value, at most <paramref name="limit"/>.
    /// </summary>
    ValueTask<IReadOnlyList<AttributeValue>> GetAttributeValuesAsync(CatalogRequest request, ConditionScope scope, string key, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Span metrics kept at ingest (per minute and per service, span name, kind and status code:
    /// count, errors, duration sketch), merged over the query's minutes, ordered by key.
    /// </summary>
    ValueTask<IReadOnlyList<SpanMetricsSeries>> GetSpanMetricsAsync(AggregateQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Service-graph edges kept at ingest (CLIENT→SERVER and PRODUCER→CONSUMER pairs across
    /// services), merged over the query's minutes, ordered by caller then callee.
    /// </summary>
    ValueTask<IReadOnlyList<ServiceGraphEdge>> GetServiceGraphAsync(AggregateQuery query, CancellationToken cancellationToken);
}

/// <summary>A span name as seen for a service, with the kind it was reported with.</summary>
public readonly record struct Operation(string Name, SpanKind Kind);
