using System.Diagnostics.Metrics;

namespace Threadline.Server.Metrics;

/// <summary>
/// Listens to the instruments of one server's <see cref="Meter"/> and keeps their current values:
/// counters summed, gauges as last observed, histograms in buckets. <c>/metrics</c> and
/// <c>/api/v1/status</c> both read <see cref="Collect"/>, so they always agree. Only this
/// server's meter is heard, so servers sharing a process (tests) do not mix their numbers.
/// </summary>
internal sealed class MetricsCollector : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _instrumentsLock = new();
    private readonly List<InstrumentSeries> _instruments = [];
    private readonly Lock _collectLock = new();

    public MetricsCollector(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (!ReferenceEquals(instrument.Meter, meter)) return;
            var series = new InstrumentSeries(instrument);
            lock (_instrumentsLock) _instruments.Add(series);
            listener.EnableMeasurementEvents(instrument, series);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((InstrumentSeries)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, state) => ((InstrumentSeries)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((InstrumentSeries)state!).Record(value, tags));
        _listener.Start();
    }

    /// <summary>Reads the observable instruments, then returns every instrument's values, sorted by name.</summary>
    public IReadOnlyList<MetricSnapshot> Collect()
    {
        // One collection at a time: observable gauges are written by the callbacks this triggers.
        lock (_collectLock)
        {
            _listener.RecordObservableInstruments();
            InstrumentSeries[] instruments;
            lock (_instrumentsLock) instruments = [.. _instruments];
            return [.. instruments.Select(i => i.Snapshot()).OrderBy(s => s.Name, StringComparer.Ordinal)];
        }
    }

    public void Dispose() => _listener.Dispose();
}
