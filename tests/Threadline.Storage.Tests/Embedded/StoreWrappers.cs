using Threadline.Core.Model;
using Threadline.Storage.Aggregates;
using Threadline.Storage.Embedded;
using Threadline.Storage.Fetch;

namespace Threadline.Storage.Tests.Embedded;

/// <summary>
/// An embedded store seen through the store contract with a twist applied before every read:
/// <see cref="Mode.Flush"/> writes everything appended so far out as blocks (so reads come from
/// blocks), <see cref="Mode.Reopen"/> closes and reopens the store (so reads come from a replay).
/// </summary>
internal sealed class EmbeddedStoreHarness(EmbeddedStoreOptions options, EmbeddedStoreHarness.Mode mode, TimeProvider? time = null) : ITraceStore, IAsyncDisposable
{
    public enum Mode { AsIs, Flush, Reopen }

    private readonly SemaphoreSlim _gate = new(1, 1);
    private EmbeddedTraceStore _store = EmbeddedTraceStore.Open(options, time: time);
    private bool _appendedSinceRead;

    public EmbeddedTraceStore Store => _store;

    public async ValueTask AppendAsync(IReadOnlyList<Span> spans, CancellationToken cancellationToken)
    {
        await _store.AppendAsync(spans, cancellationToken);
        _appendedSinceRead = true;
    }

    private async ValueTask<EmbeddedTraceStore> ReadyAsync()
    {
        await _gate.WaitAsync();
        try
        {
            if (!_appendedSinceRead || mode == Mode.AsIs) return _store;
            _appendedSinceRead = false;
            if (mode == Mode.Flush)
            {
                await _store.FlushAsync(CancellationToken.None);
            }
            else
            {
                await _store.DisposeAsync();
                _store = EmbeddedTraceStore.Open(options, time: time);
            }
            return _store;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask<IReadOnlyList<Span>> GetTraceAsync(TraceId traceId, CancellationToken cancellationToken) => await (await ReadyAsync()).GetTraceAsync(traceId, cancellationToken);
    public async ValueTask<IReadOnlyList<TraceSummary>> SearchAsync(TraceQuery query, CancellationToken cancellationToken) => await (await ReadyAsync()).SearchAsync(query, cancellationToken);
    public async ValueTask<IReadOnlyList<string>> GetServicesAsync(CancellationToken cancellationToken) => await (await ReadyAsync()).GetServicesAsync(cancellationToken);
    public async ValueTask<IReadOnlyList<Operation>> GetOperationsAsync(string service, CancellationToken cancellationToken) => await (await ReadyAsync()).GetOperationsAsync(service, cancellationToken);
    public async ValueTask<IReadOnlyList<string>> GetTagKeysAsync(CancellationToken cancellationToken) => await (await ReadyAsync()).GetTagKeysAsync(cancellationToken);
    public async ValueTask<IReadOnlyList<string>> GetTagValuesAsync(string key, int limit, CancellationToken cancellationToken) => await (await ReadyAsync()).GetTagValuesAsync(key, limit, cancellationToken);
    public async ValueTask<IReadOnlyList<Span>> GetTraceAsync(TraceByIdRequest request, CancellationToken cancellationToken) => await (await ReadyAsync()).GetTraceAsync(request, cancellationToken);

    public async IAsyncEnumerable<Spanset> FetchSpansAsync(FetchSpansRequest request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var spanset in (await ReadyAsync()).FetchSpansAsync(request, cancellationToken)) yield return spanset;
    }

    public async ValueTask<IReadOnlyList<string>> GetServicesAsync(CatalogRequest request, CancellationToken cancellationToken) => await (await ReadyAsync()).GetServicesAsync(request, cancellationToken);
    public async ValueTask<IReadOnlyList<Operation>> GetOperationsAsync(CatalogRequest request, string service, CancellationToken cancellationToken) => await (await ReadyAsync()).GetOperationsAsync(request, service, cancellationToken);
    public async ValueTask<IReadOnlyList<string>> GetAttributeKeysAsync(CatalogRequest request, ConditionScope scope, CancellationToken cancellationToken) => await (await ReadyAsync()).GetAttributeKeysAsync(request, scope, cancellationToken);
    public async ValueTask<IReadOnlyList<AttributeValue>> GetAttributeValuesAsync(CatalogRequest request, ConditionScope scope, string key, int limit, CancellationToken cancellationToken) => await (await ReadyAsync()).GetAttributeValuesAsync(request, scope, key, limit, cancellationToken);
    public async ValueTask<IReadOnlyList<SpanMetricsSeries>> GetSpanMetricsAsync(AggregateQuery query, CancellationToken cancellationToken) => await (await ReadyAsync()).GetSpanMetricsAsync(query, cancellationToken);
    public async ValueTask<IReadOnlyList<ServiceGraphEdge>> GetServiceGraphAsync(AggregateQuery query, CancellationToken cancellationToken) => await (await ReadyAsync()).GetServiceGraphAsync(query, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeAsync();
        _gate.Dispose();
    }
}
