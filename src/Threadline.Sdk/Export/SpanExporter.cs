using System.Diagnostics;
using Threadline.Sdk.Diagnostics;

namespace Threadline.Sdk.Export;

/// <summary>Whether an export reached its destination.</summary>
public enum ExportResult
{
    Success,
    Failure,
}

/// <summary>
/// Sends finished spans somewhere (OTLP, the console, memory). Called by one processor at a time:
/// an exporter need not be thread-safe for <see cref="ExportAsync"/>.
/// </summary>
public abstract class SpanExporter : IDisposable
{
    /// <summary>The resource of the process; set by the tracer before the first export.</summary>
    public ServiceResource Resource { get; internal set; } = ServiceResource.Empty;

    /// <summary>
    /// Exports a batch of ended spans. The activities are not used after the task completes, so
    /// an exporter that keeps them must copy what it needs.
    /// </summary>
    public abstract Task<ExportResult> ExportAsync(IReadOnlyList<Activity> batch, CancellationToken cancellationToken);

    /// <summary>Sends anything buffered. Returns false when it could not finish before cancellation.</summary>
    public virtual Task<bool> ForceFlushAsync(CancellationToken cancellationToken) => Task.FromResult(true);

    /// <summary>Flushes and releases resources; later exports fail.</summary>
    public virtual Task ShutdownAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Gives the exporter the session's channel to the user; exporters that can tell why spans are
    /// lost (the OTLP exporter) report through it.
    /// </summary>
    internal virtual void AttachDiagnostics(SdkDiagnostics diagnostics)
    {
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
