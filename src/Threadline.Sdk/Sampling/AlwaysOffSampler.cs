namespace Threadline.Sdk.Sampling;

/// <summary>
/// Samples nothing. Spans still exist with valid ids and propagate context downstream, so a trace
/// sampled by a service further along is not broken by this one.
/// </summary>
public sealed class AlwaysOffSampler : Sampler
{
    /// <inheritdoc />
    public override string Description => "AlwaysOffSampler";

    /// <inheritdoc />
    public override SamplingResult ShouldSample(in SamplingParameters parameters) => SamplingResult.Drop;
}
