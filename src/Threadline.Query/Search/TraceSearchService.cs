using Threadline.Core.Model;
using Threadline.Storage;

namespace Threadline.Query.Search;

/// <summary>
/// What every API and the CLI ask of stored traces: one trace, a search, and the catalogs. The
/// one place that holds the defaults and bounds of those requests; the request parsers state
/// them in their errors, and this service refuses a request outside them whoever built it.
/// </summary>
public sealed class TraceSearchService
{
    /// <summary>Traces a search returns when no limit is given.</summary>
    public const int DefaultSearchLimit = TraceQuery.DefaultLimit;

    /// <summary>Most traces one search returns.</summary>
    public const int MaxSearchLimit = TraceQuery.MaxLimit;

    /// <summary>Tag values listed when no limit is given.</summary>
    public const int DefaultTagValuesLimit = 100;

    /// <summary>Most tag values one request lists.</summary>
    public const int MaxTagValuesLimit = 10_000;

    private readonly ITraceStore _store;

    public TraceSearchService(ITraceStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>Every stored span of the trace, ordered by start time; empty when the trace is unknown.</summary>
    public ValueTask<IReadOnlyList<Span>> GetTraceAsync(TraceId traceId, CancellationToken cancellationToken) =>
        _store.GetTraceAsync(traceId, cancellationToken);

    /// <summary>Summaries of the traces matching <paramref name="query"/>, newest first.</summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The limit is outside 1..<see cref="MaxSearchLimit"/>, the minimum duration is above the
    /// maximum, or the time range ends before it starts: the parsers refuse these with a message.
    /// </exception>
    public ValueTask<IReadOnlyList<TraceSummary>> SearchAsync(TraceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, MaxSearchLimit, nameof(query));
        if (query.MinDurationNanos > query.MaxDurationNanos)
            throw new ArgumentOutOfRangeException(nameof(query), "The minimum duration is above the maximum.");
        if (query.EndTimeUnixNano != 0 && query.StartTimeUnixNano > query.EndTimeUnixNano)
            throw new ArgumentOutOfRangeException(nameof(query), "The time range ends before it starts.");
        return _store.SearchAsync(query, cancellationToken);
    }

    /// <summary>Service names seen, sorted ordinally.</summary>
    public ValueTask<IReadOnlyList<string>> GetServicesAsync(CancellationToken cancellationToken) =>
        _store.GetServicesAsync(cancellationToken);

    /// <summary>Span names and kinds seen for a service, sorted by name then kind; empty for an unknown service.</summary>
    public ValueTask<IReadOnlyList<Operation>> GetOperationsAsync(string service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        return _store.GetOperationsAsync(service, cancellationToken);
    }

    /// <summary>Attribute keys seen on spans and resources, sorted ordinally.</summary>
    public ValueTask<IReadOnlyList<string>> GetTagKeysAsync(CancellationToken cancellationToken) =>
        _store.GetTagKeysAsync(cancellationToken);

    /// <summary>Distinct values (as text) seen for a key, sorted, at most <paramref name="limit"/> (default <see cref="DefaultTagValuesLimit"/>).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is outside 1..<see cref="MaxTagValuesLimit"/>.</exception>
    public ValueTask<IReadOnlyList<string>> GetTagValuesAsync(string key, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxTagValuesLimit);
        return _store.GetTagValuesAsync(key, limit, cancellationToken);
    }
}
