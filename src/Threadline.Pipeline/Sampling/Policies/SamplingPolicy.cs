namespace Threadline.Pipeline.Sampling.Policies;

/// <summary>
/// One rule of a tail-sampling policy file, with the OpenTelemetry Collector's meaning: given a
/// whole (or as whole as it got) trace, says whether to keep it. Policies are called by one
/// decider at a time; those that keep state (rates, EMAs) need no locking of their own.
/// </summary>
public interface ISamplingPolicy
{
    /// <summary>The policy's name in the file, as counted in <c>/metrics</c>.</summary>
    string Name { get; }

    /// <summary>This policy's verdict on <paramref name="trace"/>.</summary>
    PolicyVerdict Evaluate(SampledTrace trace);
}

/// <summary>
/// What one policy says, with the Collector's decisions: the inverted ones come from
/// <c>invert_match</c> and rank as the Collector ranks them (see <see cref="Deciding.PolicyCombiner"/>).
/// </summary>
public enum PolicyDecision
{
    /// <summary>This policy does not ask for the trace.</summary>
    NotSampled,

    /// <summary>This policy keeps the trace.</summary>
    Sampled,

    /// <summary>An inverted match that keeps the trace unless another policy's inverted match drops it.</summary>
    InvertedSampled,

    /// <summary>An inverted match that drops the trace whatever the other policies say.</summary>
    InvertedNotSampled,

    /// <summary>A <c>drop</c> policy matched: the trace is dropped whatever the other policies say.</summary>
    Dropped,
}

/// <summary>
/// A policy's decision and, for a keep, how many traces the kept one stands for: 1 for a policy
/// that keeps every match (errors, slow traces), 1/p for one that keeps a fraction p.
/// </summary>
public readonly record struct PolicyVerdict(PolicyDecision Decision, double AdjustedCount = 1)
{
    public static PolicyVerdict NotSampled { get; } = new(PolicyDecision.NotSampled);
    public static PolicyVerdict Sampled { get; } = new(PolicyDecision.Sampled);

    /// <summary>Sampled when <paramref name="matched"/>, not sampled otherwise, turned over by <paramref name="invert"/> as <c>invert_match</c> does.</summary>
    public static PolicyVerdict Match(bool matched, bool invert) => (matched, invert) switch
    {
        (true, false) => Sampled,
        (false, false) => NotSampled,
        (true, true) => new(PolicyDecision.InvertedNotSampled),
        (false, true) => new(PolicyDecision.InvertedSampled),
    };

    /// <summary>Whether the verdict keeps the trace when it is the only one (inside <c>and</c> and <c>composite</c>).</summary>
    public bool Keeps => Decision is PolicyDecision.Sampled or PolicyDecision.InvertedSampled;
}
