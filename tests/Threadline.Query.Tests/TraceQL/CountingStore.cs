using Threadline.Core.Model;
using Threadline.Storage;
using Threadline.Storage.Aggregates;
using Threadline.Storage.Fetch;
using Threadline.Storage.Memory;

namespace Threadline.Query.Tests.TraceQL;

/// <summary>A memory store that counts the fetches and trace loads a query makes.</summary>
internal sealed class CountingStore : ITraceStore
{
    private readonly MemoryTraceStore _inner = new();

    public int Fetches { get; private set; }
    public int TraceLoads { get; private set; }

    public IAsyncEnumerable<Spanset> FetchSpansAsync(FetchSpansRequest request, CancellationToken cancellationToken)
    {
        Fetches++;
        return _inner.FetchSpansAsync(request, cancellationToken);
    }

    public ValueTask<IReadOnlyList<Span>> GetTraceAsync(TraceByIdRequest request, CancellationToken cancellationToken)
    {
        TraceLoads++;
        return _inner.GetTraceAsync(request, cancellationToken);
    }

    public ValueTask AppendAsync(IReadOnlyList<Span> spans, CancellationToken cancellationToken) => _inner.AppendAsync(spans, cancellationToken);
    public ValueTask RecordAggregatesAsync(IReadOnlyList<Span> spans, CancellationToken cancellationToken) => _inner.RecordAggregatesAsync(spans, cancellationToken);
    public ValueTask<IReadOnlyList<Span>> GetTraceAsync(TraceId traceId, CancellationToken cancellationToken) => _inner.GetTraceAsync(traceId, cancellationToken);
    public ValueTask<IReadOnlyList<TraceSummary>> SearchAsync(TraceQuery query, CancellationToken cancellationToken) => _inner.SearchAsync(query, cancellationToken);
    public ValueTask<IReadOnlyList<string>> GetServicesAsync(CancellationToken cancellationToken) => _inner.GetServicesAsync(cancellationToken);
    public ValueTask<IReadOnlyList<Operation>> GetOperationsAsync(string service, CancellationToken cancellationToken) => _inner.GetOperationsAsync(service, cancellationToken);
    public ValueTask<IReadOnlyList<string>> GetTagKeysAsync(CancellationToken cancellationToken) => _inner.GetTagKeysAsync(cancellationToken);
    public ValueTask<IReadOnlyList<string>> GetTagValuesAsync(string key, int limit, CancellationToken cancellationToken) => _inner.GetTagValuesAsync(key, limit, cancellationToken);
    public ValueTask<IReadOnlyList<string>> GetServicesAsync(CatalogRequest request, CancellationToken cancellationToken) => _inner.GetServicesAsync(request, cancellationToken);
    public ValueTask<IReadOnlyList<Operation>> GetOperationsAsync(CatalogRequest request, string service, CancellationToken cancellationToken) => _inner.GetOperationsAsync(request, service, cancellationToken);
    public ValueTask<IReadOnlyList<string>> GetAttributeKeysAsync(CatalogRequest request, ConditionScope scope, CancellationToken cancellationToken) => _inner.GetAttributeKeysAsync(request, scope, cancellationToken);
    public ValueTask<IReadOnlyList<AttributeValue>> GetAttributeValuesAsync(CatalogRequest request, ConditionScope scope, string key, int limit, CancellationToken cancellationToken) => _inner.GetAttributeValuesAsync(request, scope, key, limit, cancellationToken);
    public ValueTask<IReadOnlyList<SpanMetricsSeries>> GetSpanMetricsAsync(AggregateQuery query, CancellationToken cancellationToken) => _inner.GetSpanMetricsAsync(query, cancellationToken);
    public ValueTask<IReadOnlyList<ServiceGraphEdge>> GetServiceGraphAsync(AggregateQuery query, CancellationToken cancellationToken) => _inner.GetServiceGraphAsync(query, cancellationToken);
}
