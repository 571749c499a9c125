using System.Diagnostics.Metrics;
using Threadline.Core.Model;

namespace Threadline.Pipeline.Stages;

/// <summary>
/// The last stage in the decode-only benchmarking mode: drops every batch, counted as
/// <c>threadline_spans_dropped_total{reason="decode_only"}</c>, so the mode shows what queueing
/// costs without the store and can never hide data loss.
/// </summary>
public sealed class DecodeOnlyDiscarder : IBatchConsumer
{
    private readonly DroppedSpans _dropped;

    public DecodeOnlyDiscarder(DroppedSpans dropped)
    {
        ArgumentNullException.ThrowIfNull(dropped);
        _dropped = dropped;
    }

    /// <inheritdoc />
    public ValueTask ConsumeAsync(IReadOnlyList<Span> batch, CancellationToken cancellationToken)
    {
        _dropped.Add(DroppedSpans.DecodeOnly, batch.Count);
        return ValueTask.CompletedTask;
    }
}
