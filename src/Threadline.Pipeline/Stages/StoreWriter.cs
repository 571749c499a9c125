using System.Diagnostics;
using System.Diagnostics.Metrics;
using Threadline.Core.Model;
using Threadline.Storage;

namespace Threadline.Pipeline.Stages;

/// <summary>The last stage: appends each batch to the store and measures how long that takes.</summary>
public sealed class StoreWriter : IBatchConsumer
{
    // Store appends take from tens of microseconds (memory) to tens of milliseconds (an fsync).
    private static readonly double[] AppendSecondsBuckets =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly ITraceStore _store;
    private readonly Histogram<double>? _appendDuration;
    private readonly Counter<long>? _storedSpans;
    private readonly Counter<long>? _failedAppends;

    /// <param name="store">Where the spans go.</param>
    /// <param name="meter">Where the stage reports <c>threadline_store_*</c>; none when null.</param>
    public StoreWriter(ITraceStore store, Meter? meter = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        if (meter is null) return;
        _appendDuration = meter.CreateHistogram(
            "threadline_store_append_duration_seconds", "s", "Time the store took to accept one batch (successful or not).",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = AppendSecondsBuckets });
        _storedSpans = meter.CreateCounter<long>("threadline_store_spans", "{span}", "Spans the store accepted.");
        _failedAppends = meter.CreateCounter<long>("threadline_store_append_failures", "{batch}", "Store appends that threw; their spans were not acknowledged.");
    }

    /// <inheritdoc />
    public async ValueTask ConsumeAsync(IReadOnlyList<Span> batch, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await _store.AppendAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            _failedAppends?.Add(1);
            throw;
        }
        finally
        {
            _appendDuration?.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        _storedSpans?.Add(batch.Count);
    }
}
