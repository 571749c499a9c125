using Threadline.Core.Analysis.Naming;
using Threadline.Core.Model;

namespace Threadline.Pipeline.Stages;

/// <summary>
/// Shows every batch the next stage accepted to the <see cref="NamingHealthDetector"/>, so span
/// names are watched once, at ingest, whatever else the pipeline does. It changes nothing and
/// drops nothing; a batch the next stage refuses is not counted (its retry will be).
/// </summary>
public sealed class NamingHealthObserver : IBatchConsumer
{
    private readonly IBatchConsumer _next;
    private readonly NamingHealthDetector _detector;

    public NamingHealthObserver(IBatchConsumer next, NamingHealthDetector detector)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(detector);
        _next = next;
        _detector = detector;
    }

    /// <inheritdoc />
    public async ValueTask ConsumeAsync(IReadOnlyList<Span> batch, CancellationToken cancellationToken)
    {
        await _next.ConsumeAsync(batch, cancellationToken).ConfigureAwait(false);
        _detector.Observe(batch);
    }
}
