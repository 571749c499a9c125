using Threadline.Core.Model;

namespace Threadline.Cli.Load;

/// <summary>One OTLP export request body and the spans it carries.</summary>
/// <param name="Probe">A trace in the body that the query phase may look up once the body is acknowledged; null when the source keeps none.</param>
internal readonly record struct LoadRequest(byte[] Body, int Spans, TraceProbe? Probe);

/// <summary>A trace that was sent: its id, and the user.id of its root span (null when it has none).</summary>
internal sealed record TraceProbe(TraceId TraceId, string? UserId);

/// <summary>Where a load run's request bodies come from. Safe to call from many workers at once.</summary>
internal interface ILoadRequestSource
{
    /// <summary>The next body, or null when the source has sent everything it holds.</summary>
    LoadRequest? Next();
}
