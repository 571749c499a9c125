using System.Diagnostics;
using Threadline.Sdk.Sampling;

namespace Threadline.Demo.Hosting;

/// <summary>
/// Keeps the OTLP exporter's own HTTP calls out of the traces. Threadline.Sdk traces HttpClient, and its
/// exporter sends over HttpClient, so every export would otherwise become a one-span "POST" trace that
/// the next export sends, forever. In the demo every other outgoing call happens inside a request (and
/// so has a parent); a parentless HttpClient span is the exporter's. The SDK should suppress its own
/// calls; once it does, this goes.
/// </summary>
internal sealed class ExporterCallFilter : Sampler
{
    private const string HttpClientActivityName = "System.Net.Http.HttpRequestOut";

    private readonly Sampler _inner = new ParentBasedSampler(new AlwaysOnSampler());

    public override string Description => "ExporterCallFilter{" + _inner.Description + "}";

    public override SamplingResult ShouldSample(in SamplingParameters parameters) =>
        parameters.ParentContext == default && parameters.Kind == ActivityKind.Client && parameters.Name == HttpClientActivityName
            ? SamplingResult.Drop
            : _inner.ShouldSample(parameters);
}
