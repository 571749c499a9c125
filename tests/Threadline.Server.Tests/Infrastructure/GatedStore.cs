using Threadline.Core.Model;
using Threadline.Storage;
using Threadline.Storage.Memory;

namespace Threadline.Server.Tests.Infrastructure;

/// <summary>
/// A memory store whose appends wait at a gate the test opens, and which signals the first
/// append reaching it, so a test can hold the ingest queue full without any sleep.
/// </summary>
internal sealed class GatedStore : ITraceStore
{
    private readonly MemoryTraceStore _inner = new();
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when an append has reached the store (and is held at the gate).</summary>
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

/// <summary>A store whose every append fails, as a full disk would.</summary>
internal sealed class FailingStore : ITraceStore
{
    public ValueTask AppendAsync(IReadOnlyList<Span> spans, CancellationToken cancellationToken) =>
        ValueTask.FromException(new IOException("No space left on device (test)."));

    public ValueTask<IReadOnlyList<Span>> GetTraceAsync(TraceId traceId, CancellationToken cancellationToken) => new([]);
    public ValueTask<IReadOnlyList<TraceSummary>> SearchAsync(TraceQuery query, CancellationToken cancellationToken) => new([]);
    public ValueTask<IReadOnlyList<string>> GetServicesAsync(CancellationToken cancellationToken) => new([]);
    public ValueTask<IReadOnlyList<Operation>> GetOperationsAsync(string service, CancellationToken cancellationToken) => new([]);
    public ValueTask<IReadOnlyList<string>> GetTagKeysAsync(CancellationToken cancellationToken) => new([]);
    public ValueTask<IReadOnlyList<string>> GetTagValuesAsync(string key, int limit, CancellationToken cancellationToken) => new([]);
}
