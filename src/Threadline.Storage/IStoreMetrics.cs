using System.Diagnostics.Metrics;

namespace Threadline.Storage;

/// <summary>
/// Implemented by an engine that reports figures of its own (size held, evictions, files),
/// which the server then serves at <c>/metrics</c> and <c>/api/v1/status</c>. Optional: an engine
/// without it still gets the server's append counters and timings.
/// </summary>
public interface IStoreMetrics
{
    /// <summary>
    /// Creates the engine's instruments on <paramref name="meter"/>, named <c>threadline_store_*</c>
    /// in Prometheus style. Called once, before the first append; observable instruments are
    /// read when the metrics are scraped.
    /// </summary>
    void PublishInstruments(Meter meter);
}
