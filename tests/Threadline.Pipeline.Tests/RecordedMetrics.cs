using System.Diagnostics.Metrics;

namespace Threadline.Pipeline.Tests;

/// <summary>A meter for one test and the sums of what its counters recorded, by name and label.</summary>
internal sealed class RecordedMetrics : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _lock = new();
    private readonly List<(string Name, long Value, KeyValuePair<string, object?>[] Tags)> _measurements = [];

    public RecordedMetrics()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, Meter)) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            lock (_lock) _measurements.Add((instrument.Name, value, tags.ToArray()));
        });
        _listener.Start();
    }

    public Meter Meter { get; } = new("Threadline.Tests");

    /// <summary>The sum recorded by counter <paramref name="name"/> with the label, or over all labels when none is given.</summary>
    public long Sum(string name, string? label = null, string? value = null)
    {
        lock (_lock)
        {
            return _measurements
                .Where(m => m.Name == name && (label is null || m.Tags.Any(t => t.Key == label && Equals(t.Value, value))))
                .Sum(m => m.Value);
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        Meter.Dispose();
    }
}
