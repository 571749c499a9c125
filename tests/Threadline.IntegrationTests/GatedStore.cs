using Threadline.Core.Model;
using Threadline.Storage;
using Threadline.Storage.Memory;

namespace Threadline.IntegrationTests;

/// <summary>A memory store whose appends wait at a gate the test opens; it signals when an append is held.</summary>
internal sealed class GatedStore : ITraceStore
{
    private readonly MemoryTraceStore _inner = new();
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task AppendEntered => _entered.Task;

    public void Open() => _gate.TrySetResult();

    public async ValueTask AppendAsync(IReadOnlyList<Span> spans, CancellationToken cancellationToken)
    {
        _entered.TrySetResult();
        await _gate.Task.WaitAsync(cancellationToken);
        await _inner.AppendAsync(spans, cancellationToken);
    }

    public ValueTask<IReadOnlyList<Span>> GetTraceAsync(TraceId traceId, CancellationToken cancellationToken) => _inner.GetTraceAsync(traceId, cancellationToken);
    public ValueTask<IReadOnlyList<TraceSummary>> SearchAsync(TraceQuery query, CancellationToken cancellationToken) => _inner.SearchAsync(query, cancellationToken);
    public ValueTask<IReadOnlyList<string>> GetServicesAsync(CancellationToken cancellationToken) => _inner.GetServicesAsync(cancellationToken);
    public ValueTask<IReadOnlyList<Operation>> GetOperationsAsync(string service, CancellationToken cancellationToken) => _inner.GetOperationsAsync(service, cancellationToken);
    public ValueTask<IReadOnlyList<string>> GetTagKeysAsync(CancellationToken cancellationToken) => _inner.GetTagKeysAsync(cancellationToken);
    public ValueTask<IReadOnlyList<string>> GetTagValuesAsync(string key, int limit, CancellationToken cancellationToken) => _inner.GetTagValuesAsync(key, limit, cancellationToken);
}
