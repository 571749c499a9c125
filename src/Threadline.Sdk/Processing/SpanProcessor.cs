using System.Diagnostics;

namespace Threadline.Sdk.Processing;

/// <summary>
/// Sees every recorded span when it starts and when it ends, on the thread that started or
/// ended it: implementations must be cheap and thread-safe.
/// </summary>
public abstract class SpanProcessor : IDisposable
{
    public virtual void OnStart(Activity activity)
    {
    }

    public virtual void OnEnd(Activity activity)
    {
    }

    public virtual Task<bool> ForceFlushAsync(CancellationToken cancellationToken) => Task.FromResult(true);

    public virtual Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
