namespace Threadline.Sdk.Sampling;

/// <summary>Records and samples every span.</summary>
public sealed class AlwaysOnSampler : Sampler
{
    /// <inheritdoc />
    public override string Description => "AlwaysOnSampler";

    /// <inheritdoc />
    public override SamplingResult ShouldSample(in SamplingParameters parameters) => SamplingResult.RecordAndSample;
}
