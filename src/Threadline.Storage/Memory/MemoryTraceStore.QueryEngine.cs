using System.Runtime.CompilerServices;
using Threadline.Core.Model;
using Threadline.Storage.Aggregates;
using Threadline.Storage.Fetch;

namespace Threadline.Storage.Memory;

// The reads query engines use (fetch, catalogs over a time range, aggregates). They snapshot
// the traces overlapping the range under the lock, then scan outside it, as SearchAsync does.
// The memory engine holds only the single tenant: any other tenant has no data.
public sealed partial class MemoryTraceStore
{
    // A long fetch gives its thread back this often, so that one query does not hold a
    // thread-pool thread for the whole scan of a full store.
    private const int TracesPerYield = 256;

    public ValueTask<IReadOnlyList<Span>> GetTraceAsync(TraceByIdRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        if (!request.Tenant.IsSingle) return ValueTask.FromResult<IReadOnlyList<Span>>([]);
        lock (_lock)
        {
            if (!_traces.TryGetValue(request.TraceId, out var trace)
                || !request.Overlaps(trace.Summary.StartTimeUnixNano, trace.Summary.EndTimeUnixNano))
            {
                return ValueTask.FromResult<IReadOnlyList<Span>>([]);
            }
        }
        return GetTraceAsync(request.TraceId, cancellationToken);
    }

    public async IAsyncEnumerable<Spanset> FetchSpansAsync(FetchSpansRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Tenant.IsSingle) yield break;
        var filters = request.Conditions.Where(c => c.Filters).ToArray();
        var scanned = 0;
        foreach (var candidate in Overlapping(request.StartTimeUnixNano, request.EffectiveEndUnixNano))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (++scanned % TracesPerYield == 0) await Task.Yield();

            List<SpansetSpan>? matches = null;
            foreach (var span in candidate.Snapshot.AsSpan())
            {
                if (!request.InRange(span.StartTimeUnixNano) || !SpanMatching.Passes(filters, request.AllConditions, span)) continue;
                (matches ??= []).Add(SpanMatching.ToSpansetSpan(span, request.Conditions));
            }
            if (matches is null) continue;

            matches.Sort(static (a, b) => a.StartTimeUnixNano.CompareTo(b.StartTimeUnixNano));
            var summary = TraceSummarizer.Summarize(candidate.Trace.TraceId, candidate.Snapshot.AsSegment());
            yield return new Spanset
            {
                TraceId = summary.TraceId,
                RootServiceName = summary.RootServiceName,
                RootSpanName = summary.RootSpanName,
                TraceStartUnixNano = summary.StartTimeUnixNano,
                TraceEndUnixNano = summary.StartTimeUnixNano + summary.DurationNanos,
                Spans = matches,
            };
        }
    }

    public ValueTask<IReadOnlyList<string>> GetServicesAsync(CatalogRequest request, CancellationToken cancellationToken)
    {
        var services = new HashSet<string>(StringComparer.Ordinal);
        foreach (var span in SpansIn(request, cancellationToken)) services.Add(span.ServiceName);
        return ValueTask.FromResult<IReadOnlyList<string>>([.. services.Order(StringComparer.Ordinal)]);
    }

    public ValueTask<IReadOnlyList<Operation>> GetOperationsAsync(CatalogRequest request, string service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        var operations = new HashSet<Operation>();
        foreach (var span in SpansIn(request, cancellationToken))
        {
            if (span.ServiceName == service) operations.Add(new Operation(span.Name, span.Kind));
        }
        return ValueTask.FromResult<IReadOnlyList<Operation>>(
            [.. operations.OrderBy(o => o.Name, StringComparer.Ordinal).ThenBy(o => o.Kind)]);
    }

    public ValueTask<IReadOnlyList<string>> GetAttributeKeysAsync(CatalogRequest request, ConditionScope scope, CancellationToken cancellationToken)
    {
        SpanMatching.CheckCatalogScope(scope);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var span in SpansIn(request, cancellationToken))
        {
            foreach (var attributes in SpanMatching.AttributesIn(span, scope))
            {
                foreach (var attribute in attributes) keys.Add(attribute.Key);
            }
        }
        return ValueTask.FromResult<IReadOnlyList<string>>([.. keys.Order(StringComparer.Ordinal)]);
    }

    public ValueTask<IReadOnlyList<AttributeValue>> GetAttributeValuesAsync(CatalogRequest request, ConditionScope scope, string key, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        SpanMatching.CheckCatalogScope(scope);
        if (limit <= 0) return ValueTask.FromResult<IReadOnlyList<AttributeValue>>([]);
        var values = new HashSet<AttributeValue>();
        foreach (var span in SpansIn(request, cancellationToken))
        {
            foreach (var attributes in SpanMatching.AttributesIn(span, scope))
            {
                foreach (var attribute in attributes)
                {
                    if (attribute.Key == key && IsCatalogued(attribute.Value)) values.Add(attribute.Value);
                }
            }
        }
        return ValueTask.FromResult<IReadOnlyList<AttributeValue>>([.. values.Order(AttributeValueOrder.Instance).Take(limit)]);
    }

    public ValueTask<IReadOnlyList<SpanMetricsSeries>> GetSpanMetricsAsync(AggregateQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        if (_aggregates is null || !query.Tenant.IsSingle) return ValueTask.FromResult<IReadOnlyList<SpanMetricsSeries>>([]);
        lock (_lock)
        {
            return ValueTask.FromResult(_aggregates.SpanMetrics(query));
        }
    }

    public ValueTask<IReadOnlyList<ServiceGraphEdge>> GetServiceGraphAsync(AggregateQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        if (_aggregates is null || !query.Tenant.IsSingle) return ValueTask.FromResult<IReadOnlyList<ServiceGraphEdge>>([]);
        lock (_lock)
        {
            return ValueTask.FromResult(_aggregates.ServiceGraph(query));
        }
    }

    // Traces with a span starting in [start, end), snapshotted under the lock.
    private List<Candidate> Overlapping(ulong start, ulong end)
    {
        var candidates = new List<Candidate>();
        lock (_lock)
        {
            foreach (var trace in _arrivals)
            {
                var summary = trace.Summary;
                if (summary.LatestSpanStartUnixNano < start || summary.StartTimeUnixNano >= end) continue;
                candidates.Add(new Candidate(trace, trace.Snapshot(), summary.StartTimeUnixNano));
            }
        }
        return candidates;
    }

    private IEnumerable<Span> SpansIn(CatalogRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        if (!request.Tenant.IsSingle) return [];
        var end = request.EndTimeUnixNano == 0 ? ulong.MaxValue : request.EndTimeUnixNano;
        return Overlapping(request.StartTimeUnixNano, end)
            .SelectMany(c => c.Snapshot.AsSegment())
            .Where(s => request.InRange(s.StartTimeUnixNano));
    }

    // Scalars only: a catalog offers values to compare with, and long strings (statements,
    // stack traces) are left out as in the since-start catalog.
    private bool IsCatalogued(AttributeValue value) => value.Type switch
    {
        AttributeType.String => value.AsString().Length <= _maxTagValueLength,
        AttributeType.Int or AttributeType.Double or AttributeType.Bool => true,
        _ => false,
    };
}
