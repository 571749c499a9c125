using Threadline.Core.Model;
using Threadline.Storage;
using Threadline.Storage.Memory;

namespace Threadline.Testing;

/// <summary>
/// A memory store whose appends wait at a gate the test opens, and which can be told to fail,
/// so tests can hold the queue in a known state without sleeping or timing anything. Shared by
/// the pipeline, server and integration tests (linked into each project).
/// </summary>
internal sealed class GatedStore(bool gateOpen = false) : ITraceStore
{
    private readonly TaskCompletionSource _gate = NewGate(gateOpen);
    private readonly SemaphoreSlim _appendsEntered = new(0);
    private readonly Lock _lock = new();
    private readonly List<int> _appendSizes = [];

    public MemoryTraceStore Inner { get; } = new();

    /// <summary>When set, appends throw this (after passing the gate).</summary>
    public Exception? Failure { get; set; }

    /// <summary>When set with <see cref="Failure"/>, the append throws before returning a task, as a non-async method would.</summary>
    public bool FailSynchronously { get; set; }

    /// <summary>Sizes of the appends the store accepted, in order.</summary>
    public IReadOnlyList<int> AcceptedAppendSizes
    {
        get
        {
            lock (_lock) return [.. _appendSizes];
        }
    }

    public long StoredSpans => Inner.Statistics.Spans;

    public void Open() => _gate.TrySetResult();

    /// <summary>Completes when an append has reached the store (and is waiting at the gate if closed).</summary>
    public Task AppendEnteredAsync() => _appendsEntered.WaitAsync();

    public ValueTask AppendAsync(IReadOnlyList<Span> spans, CancellationToken cancellationToken)
    {
        if (FailSynchronously && Failure is { } failure)
        {
            _appendsEntered.Release();
            throw failure;
        }
        return AppendAfterGateAsync(spans, cancellationToken);
    }

    public ValueTask RecordAggregatesAsync(IReadOnlyList<Span> spans, CancellationToken cancellationToken) => Inner.RecordAggregatesAsync(spans, cancellationToken);

    private async ValueTask AppendAfterGateAsync(IReadOnlyList<Span> spans, CancellationToken cancellationToken)
    {
        _appendsEntered.Release();
        await _gate.Task.WaitAsync(cancellationToken);
        if (Failure is { } failure) throw failure;
        await Inner.AppendAsync(spans, cancellationToken);
        lock (_lock) _appendSizes.Add(spans.Count);
    }

    public ValueTask<IReadOnlyList<Span>> GetTraceAsync(TraceId traceId, CancellationToken cancellationToken) => Inner.GetTraceAsync(traceId, cancellationToken);
    public ValueTask<IReadOnlyList<TraceSummary>> SearchAsync(TraceQuery query, CancellationToken cancellationToken) => Inner.SearchAsync(query, cancellationToken);
    public ValueTask<IReadOnlyList<string>> GetServicesAsync(CancellationToken cancellationToken) => Inner.GetServicesAsync(cancellationToken);
    public ValueTask<IReadOnlyList<Operation>> GetOperationsAsync(string service, CancellationToken cancellationToken) => Inner.GetOperationsAsync(service, cancellationToken);
    public ValueTask<IReadOnlyList<string>> GetTagKeysAsync(CancellationToken cancellationToken) => Inner.GetTagKeysAsync(cancellationToken);
    public ValueTask<IReadOnlyList<string>> GetTagValuesAsync(string key, int limit, CancellationToken cancellationToken) => Inner.GetTagValuesAsync(key, limit, cancellationToken);

    public ValueTask<IReadOnlyList<Span>> GetTraceAsync(TraceByIdRequest request, CancellationToken cancellationToken) => Inner.GetTraceAsync(request, cancellationToken);
    public IAsyncEnumerable<Threadline.Storage.Fetch.Spanset> FetchSpansAsync(Threadline.Storage.Fetch.FetchSpansRequest request, CancellationToken cancellationToken) => Inner.FetchSpansAsync(request, cancellationToken);
    public ValueTask<IReadOnlyList<string>> GetServicesAsync(CatalogRequest request, CancellationToken cancellationToken) => Inner.GetServicesAsync(request, cancellationToken);
    public ValueTask<IReadOnlyList<Operation>> GetOperationsAsync(CatalogRequest request, string service, CancellationToken cancellationToken) => Inner.GetOperationsAsync(request, service, cancellationToken);
    public ValueTask<IReadOnlyList<string>> GetAttributeKeysAsync(CatalogRequest request, Threadline.Storage.Fetch.ConditionScope scope, CancellationToken cancellationToken) => Inner.GetAttributeKeysAsync(request, scope, cancellationToken);
    public ValueTask<IReadOnlyList<AttributeValue>> GetAttributeValuesAsync(CatalogRequest request, Threadline.Storage.Fetch.ConditionScope scope, string key, int limit, CancellationToken cancellationToken) => Inner.GetAttributeValuesAsync(request, scope, key, limit, cancellationToken);
    public ValueTask<IReadOnlyList<Threadline.Storage.Aggregates.SpanMetricsSeries>> GetSpanMetricsAsync(Threadline.Storage.Aggregates.AggregateQuery query, CancellationToken cancellationToken) => Inner.GetSpanMetricsAsync(query, cancellationToken);
    public ValueTask<IReadOnlyList<Threadline.Storage.Aggregates.ServiceGraphEdge>> GetServiceGraphAsync(Threadline.Storage.Aggregates.AggregateQuery query, CancellationToken cancellationToken) => Inner.GetServiceGraphAsync(query, cancellationToken);

    private static TaskCompletionSource NewGate(bool open)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (open) gate.SetResult();
        return gate;
    }
}
