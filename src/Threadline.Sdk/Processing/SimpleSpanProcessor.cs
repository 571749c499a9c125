using System.Diagnostics;
using Threadline.Sdk.Diagnostics;
using Threadline.Sdk.Export;

namespace Threadline.Sdk.Processing;

/// <summary>
/// Exports each sampled span as it ends, on the ending thread, which waits for the exporter. Meant for
/// the console and in-memory exporters (development and tests); use <see cref="BatchSpanProcessor"/>
/// for anything that leaves the process.
/// </summary>
public sealed class SimpleSpanProcessor : SpanProcessor
{
    private readonly SpanExporter _exporter;
    private readonly string _exporterName;
    private readonly ActivityBatch _single = new(1);
    private readonly object _exportLock = new();
    private volatile bool _shutdown;

    /// <param name="exporter">Receives each span. The processor owns it and shuts it down on shutdown.</param>
    public SimpleSpanProcessor(SpanExporter exporter)
    {
        _exporter = exporter ?? throw new ArgumentNullException(nameof(exporter));
        _exporterName = exporter.GetType().Name;
    }

    /// <summary>The exporter spans are sent to.</summary>
    public SpanExporter Exporter => _exporter;

    /// <inheritdoc />
    public override void OnEnd(Activity activity)
    {
        if (!activity.Recorded) return;
        if (_shutdown)
        {
            SdkEventSource.Log.AddDropped(1);
            return;
        }
        // Exporters need not be thread-safe, and spans end on many threads at once.
        lock (_exportLock)
        {
            _single.Add(activity);
            try
            {
                // OnEnd is synchronous by contract; waiting here is what "simple" means. The exporters
                // meant for this processor complete synchronously, so nothing actually blocks.
                var result = _exporter.ExportAsync(_single, CancellationToken.None).GetAwaiter().GetResult();
                if (result == ExportResult.Success) SdkEventSource.Log.AddExported(1);
                else SdkEventSource.Log.ExportFailed(_exporterName, "the exporter reported failure");
            }
            catch (Exception exception)
            {
                SdkEventSource.Log.ExportFailed(_exporterName, exception);
            }
            finally
            {
                _single.Clear();
            }
        }
    }

    /// <inheritdoc />
    public override Task<bool> ForceFlushAsync(CancellationToken cancellationToken) => _exporter.ForceFlushAsync(cancellationToken);

    /// <inheritdoc />
    public override Task ShutdownAsync(CancellationToken cancellationToken)
    {
        _shutdown = true;
        return _exporter.ShutdownAsync(cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _exporter.Dispose();
        base.Dispose(disposing);
    }
}
