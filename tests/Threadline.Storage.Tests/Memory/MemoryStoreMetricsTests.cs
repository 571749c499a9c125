using System.Diagnostics.Metrics;
using Threadline.Storage.Memory;

namespace Threadline.Storage.Tests.Memory;

/// <summary>The memory engine reports its size and evictions through <see cref="IStoreMetrics"/>.</summary>
public sealed class MemoryStoreMetricsTests
{
    private readonly SpanFactory _spans = new();

    [Fact]
    public async Task Published_instruments_read_the_store_s_figures_when_observed()
    {
        using var meter = new Meter("Threadline.Storage.Tests");
        var store = new MemoryTraceStore(new MemoryStoreOptions { MaxSpans = 3 });
        IStoreMetrics metrics = store;
        metrics.PublishInstruments(meter);
        await store.AppendAsync(_spans.CheckoutTrace(_spans.NewTraceId()), CancellationToken.None);
        await store.AppendAsync(_spans.CheckoutTrace(_spans.NewTraceId()), CancellationToken.None);

        var observed = Observe(meter);

        var statistics = store.Statistics;
        Assert.Equal(statistics.Traces, observed["threadline_store_traces"]);
        Assert.Equal(statistics.Spans, observed["threadline_store_resident_spans"]);
        Assert.Equal(3, observed["threadline_store_capacity_spans"]);
        Assert.Equal(statistics.EvictedTraces, observed["threadline_store_evicted_traces"]);
        Assert.Equal(statistics.EvictedSpans, observed["threadline_store_evicted_spans"]);
        Assert.True(statistics.EvictedTraces > 0);
    }

    private static Dictionary<string, long> Observe(Meter meter)
    {
        var observed = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => observed[instrument.Name] = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return observed;
    }
}
