using Threadline.Core.Model;

namespace Threadline.Pipeline.Sampling.Deciding;

/// <summary>The spans of one undecided trace, with when its decision is due. Guarded by the sampler's lock.</summary>
internal sealed class HeldTrace(TraceId traceId, long firstArrival, long due)
{
    public TraceId TraceId { get; } = traceId;
    public List<Span> Spans { get; } = [];
    public long Bytes { get; set; }

    /// <summary>When the first span arrived (a <see cref="TimeProvider"/> timestamp): the oldest trace goes first at the cap.</summary>
    public long FirstArrival { get; } = firstArrival;

    /// <summary>When the decision is due (timestamp); moves earlier once the root arrives, never later.</summary>
    public long Due { get; set; } = due;

    public bool RootArrived { get; set; }

    /// <summary>Set when the trace leaves the held set; queued references to it are then stale.</summary>
    public bool Released { get; set; }

    /// <summary>The decision, once made (for spans of the same batch that follow a cap decision).</summary>
    public SamplingDecision? Decision { get; set; }
}
