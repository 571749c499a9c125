using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Threadline.Pipeline;
using Threadline.Server.Ingest;
using Threadline.Server.Options;
using Threadline.Storage;
using Threadline.Storage.Memory;

namespace Threadline.Server.Api;

/// <summary>
/// <c>GET /api/v1/status</c>: the server's own counters (what was received, refused, queued,
/// stored and evicted), so that an operator or a test can see that nothing was lost silently.
/// </summary>
internal sealed class StatusEndpoint
{
    private readonly IngestQueue _queue;
    private readonly ReceiverStatistics _receivers;
    private readonly ITraceStore _store;
    private readonly ThreadlineOptions _options;
    private readonly Stopwatch _uptime = Stopwatch.StartNew();

    public StatusEndpoint(IngestQueue queue, ReceiverStatistics receivers, ITraceStore store, ThreadlineOptions options)
    {
        _queue = queue;
        _receivers = receivers;
        _store = store;
        _options = options;
    }

    public Task HandleAsync(HttpContext context)
    {
        var ingest = _queue.Statistics;
        var receivers = _receivers.Snapshot();
        return ApiResponses.JsonAsync(context.Response, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("uptimeSeconds", Math.Round(_uptime.Elapsed.TotalSeconds, 3));

            writer.WriteStartObject("receivers");
            writer.WriteNumber("invalidSpans", receivers.InvalidSpans);
            writer.WriteNumber("malformedRequests", receivers.MalformedRequests);
            writer.WriteNumber("tooLargeRequests", receivers.TooLargeRequests);
            writer.WriteNumber("unsupportedRequests", receivers.UnsupportedRequests);
            writer.WriteNumber("discardedSpans", receivers.DiscardedSpans);
            writer.WriteEndObject();

            writer.WriteStartObject("ingest");
            writer.WriteNumber("acceptedSpans", ingest.AcceptedSpans);
            writer.WriteNumber("acceptedRequests", ingest.AcceptedRequests);
            writer.WriteNumber("rejectedSpans", ingest.RejectedSpans);
            writer.WriteNumber("rejectedRequests", ingest.RejectedRequests);
            writer.WriteNumber("storedSpans", ingest.StoredSpans);
            writer.WriteNumber("failedAppends", ingest.FailedAppends);
            writer.WriteNumber("failedSpans", ingest.FailedSpans);
            writer.WriteNumber("queuedSpans", ingest.QueuedSpans);
            writer.WriteNumber("peakQueuedSpans", ingest.PeakQueuedSpans);
            writer.WriteNumber("maxQueuedSpans", _options.Ingest.MaxQueuedSpans);
            writer.WriteEndObject();

            writer.WriteStartObject("storage");
            writer.WriteString("engine", _options.Storage.Engine);
            // Engines report what they can; the memory engine knows its size and its evictions.
            if (_store is MemoryTraceStore memory)
            {
                var stats = memory.Statistics;
                writer.WriteNumber("traces", stats.Traces);
                writer.WriteNumber("spans", stats.Spans);
                writer.WriteNumber("maxSpans", _options.Storage.Memory.MaxSpans);
                writer.WriteNumber("evictedTraces", stats.EvictedTraces);
                writer.WriteNumber("evictedSpans", stats.EvictedSpans);
            }
            writer.WriteEndObject();

            writer.WriteEndObject();
        }, context.RequestAborted);
    }
}
