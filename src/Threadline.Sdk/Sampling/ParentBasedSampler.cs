using System.Diagnostics;

namespace Threadline.Sdk.Sampling;

/// <summary>
/// Follows the parent's decision when there is a parent, and asks <c>root</c> otherwise. The default
/// sampler of the SDK is <c>ParentBased(root: AlwaysOn)</c>.
/// </summary>
/// <remarks>
/// Which sampler decides, per the OpenTelemetry specification:
/// no parent → root; remote parent sampled → remoteParentSampled (default AlwaysOn);
/// remote parent not sampled → remoteParentNotSampled (default AlwaysOff);
/// local parent sampled → localParentSampled (default AlwaysOn);
/// local parent not sampled → localParentNotSampled (default AlwaysOff).
/// </remarks>
public sealed class ParentBasedSampler : Sampler
{
    /// <param name="root">Decides for spans without a parent.</param>
    /// <param name="remoteParentSampled">Decides under a sampled parent from another process; default AlwaysOn.</param>
    /// <param name="remoteParentNotSampled">Decides under an unsampled parent from another process; default AlwaysOff.</param>
    /// <param name="localParentSampled">Decides under a sampled parent in this process; default AlwaysOn.</param>
    /// <param name="localParentNotSampled">Decides under an unsampled parent in this process; default AlwaysOff.</param>
    public ParentBasedSampler(
        Sampler root,
        Sampler? remoteParentSampled = null,
        Sampler? remoteParentNotSampled = null,
        Sampler? localParentSampled = null,
        Sampler? localParentNotSampled = null)
    {
        Root = root ?? throw new ArgumentNullException(nameof(root));
        RemoteParentSampled = remoteParentSampled ?? new AlwaysOnSampler();
        RemoteParentNotSampled = remoteParentNotSampled ?? new AlwaysOffSampler();
        LocalParentSampled = localParentSampled ?? new AlwaysOnSampler();
        LocalParentNotSampled = localParentNotSampled ?? new AlwaysOffSampler();
        Description = "ParentBased{root=" + Root.Description
            + ",remoteParentSampled=" + RemoteParentSampled.Description
            + ",remoteParentNotSampled=" + RemoteParentNotSampled.Description
            + ",localParentSampled=" + LocalParentSampled.Description
            + ",localParentNotSampled=" + LocalParentNotSampled.Description + "}";
    }

    public Sampler Root { get; }

    public Sampler RemoteParentSampled { get; }

    public Sampler RemoteParentNotSampled { get; }

    public Sampler LocalParentSampled { get; }

    public Sampler LocalParentNotSampled { get; }

    /// <inheritdoc />
    public override string Description { get; }

    /// <summary>True when this is ParentBased(AlwaysOn) with the standard delegates: the span listener then
    /// decides from the parent's flag without calling any sampler.</summary>
    internal bool FollowsParentWithAlwaysOnRoot =>
        Root is AlwaysOnSampler && RemoteParentSampled is AlwaysOnSampler && LocalParentSampled is AlwaysOnSampler
        && RemoteParentNotSampled is AlwaysOffSampler && LocalParentNotSampled is AlwaysOffSampler;

    /// <inheritdoc />
    public override SamplingResult ShouldSample(in SamplingParameters parameters)
    {
        var parent = parameters.ParentContext;
        if (parent.TraceId == default) return Root.ShouldSample(parameters);
        var sampled = (parent.TraceFlags & ActivityTraceFlags.Recorded) != 0;
        var delegated = parent.IsRemote
            ? (sampled ? RemoteParentSampled : RemoteParentNotSampled)
            : (sampled ? LocalParentSampled : LocalParentNotSampled);
        return delegated.ShouldSample(parameters);
    }
}
