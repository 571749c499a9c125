using Threadline.Pipeline.Sampling.Deciding;

namespace Threadline.Server.Sampling;

/// <summary>
/// The tail-sampling stages of a running server, when tail sampling is on, so that shutdown can
/// decide what the sampler still holds after the queue has drained and before the store closes.
/// </summary>
internal sealed class SamplingStages
{
    public TailSampler? Sampler { get; set; }

    public HttpClient? ForwardingClient { get; set; }

    /// <summary>Decides every held trace (kept ones reach the store) and releases the forwarder's connections.</summary>
    public async Task StopAsync()
    {
        if (Sampler is { } sampler) await sampler.DisposeAsync().ConfigureAwait(false);
        ForwardingClient?.Dispose();
    }
}
