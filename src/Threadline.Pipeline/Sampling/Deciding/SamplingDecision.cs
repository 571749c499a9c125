namespace Threadline.Pipeline.Sampling.Deciding;

/// <summary>What was decided for a trace: keep or drop, how many traces a kept one stands for, and which policy decided.</summary>
public sealed record SamplingDecision(bool Keep, double AdjustedCount, string Policy)
{
    /// <summary>Nothing asked for the trace.</summary>
    public static SamplingDecision NoPolicyMatched { get; } = new(false, 1, "");
}
