using System.Diagnostics;

namespace Threadline.Sdk.Sampling;

/// <summary>What a sampler decided for a new span.</summary>
public enum SamplingDecision
{
    /// <summary>Not recorded and not sampled: the span still gets valid ids and propagates context.</summary>
    Drop,

    /// <summary>Recorded (processors see it) but not sampled (not exported, sampled flag off).</summary>
    RecordOnly,

    /// <summary>Recorded and sampled.</summary>
    RecordAndSample,
}

/// <summary>Everything a sampler may look at. The parent context is default when there is no parent.</summary>
public readonly record struct SamplingParameters(
    ActivityContext ParentContext,
    ActivityTraceId TraceId,
    string Name,
    ActivityKind Kind,
    IEnumerable<KeyValuePair<string, object?>>? Tags,
    IEnumerable<ActivityLink>? Links);

/// <summary>A decision plus optional attributes to add and an optional new tracestate.</summary>
public readonly record struct SamplingResult(
    SamplingDecision Decision,
    IReadOnlyList<KeyValuePair<string, object?>>? Attributes = null,
    string? TraceState = null)
{
    public static readonly SamplingResult Drop = new(SamplingDecision.Drop);
    public static readonly SamplingResult RecordAndSample = new(SamplingDecision.RecordAndSample);
}

/// <summary>Decides, before a span starts, whether it is recorded and sampled.</summary>
public abstract class Sampler
{
    /// <summary>Shown in diagnostics, e.g. "TraceIdRatioBased{0.25}".</summary>
    public virtual string Description => GetType().Name;

    public abstract SamplingResult ShouldSample(in SamplingParameters parameters);
}
