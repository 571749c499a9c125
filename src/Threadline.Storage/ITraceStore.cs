using Threadline.Core.Model;

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
}

/// <summary>A span name as seen for a service, with the kind it was reported with.</summary>
public readonly record struct Operation(string Name, SpanKind Kind);
