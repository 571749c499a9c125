using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Threadline.Server.Metrics;
using Threadline.Server.Options;

namespace Threadline.Server.Api;

/// <summary>
/// <c>GET /api/v1/status</c>: the server's own counters (what was received, refused, queued,
/// stored, dropped and evicted) as JSON, so that an operator or a test can see that nothing was
/// lost silently. Read from the same collection as <c>/metrics</c>, so the two always agree.
/// </summary>
internal sealed class StatusEndpoint
{
    private readonly MetricsCollector _metrics;
    private readonly ThreadlineOptions _options;
    private readonly Stopwatch _uptime = Stopwatch.StartNew();

    public StatusEndpoint(MetricsCollector metrics, ThreadlineOptions options)
    {
        _metrics = metrics;
        _options = options;
    }

    public Task HandleAsync(HttpContext context)
    {
        var metrics = _metrics.Collect().ToDictionary(m => m.Name, StringComparer.Ordinal);
        return ApiResponses.JsonAsync(context.Response, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("uptimeSeconds", Math.Round(_uptime.Elapsed.TotalSeconds, 3));

            writer.WriteStartObject("receivers");
            Number("invalidSpans", "threadline_receiver_spans", ("outcome", "invalid"));
            Number("malformedRequests", "threadline_receiver_requests", ("outcome", "malformed"));
            Number("tooLargeRequests", "threadline_receiver_requests", ("outcome", "too_large"));
            Number("unsupportedRequests", "threadline_receiver_requests", ("outcome", "unsupported"));
            Number("wrongPortRequests", "threadline_receiver_requests", ("outcome", "wrong_port"));
            Number("discardedSpans", "threadline_spans_dropped", ("reason", "decode_only"));
            writer.WriteEndObject();

            writer.WriteStartObject("ingest");
            Number("acceptedSpans", "threadline_ingest_queue_admitted_spans");
            Number("acceptedRequests", "threadline_ingest_queue_admitted_requests");
            Number("rejectedSpans", "threadline_ingest_queue_refused_spans");
            Number("rejectedRequests", "threadline_ingest_queue_refused_requests");
            Number("storedSpans", "threadline_store_spans");
            Number("failedAppends", "threadline_ingest_queue_failed_batches");
            Number("failedSpans", "threadline_ingest_queue_failed_spans");
            Number("queuedSpans", "threadline_ingest_queue_spans");
            Number("peakQueuedSpans", "threadline_ingest_queue_peak_spans");
            Number("maxQueuedSpans", "threadline_ingest_queue_capacity_spans");
            writer.WriteEndObject();

            writer.WriteStartObject("limits");
            Number("truncatedValues", "threadline_limits_truncated");
            Number("droppedItems", "threadline_limits_dropped");
            Number("droppedSpans", "threadline_spans_dropped", ("reason", "trace_too_large"));
            writer.WriteEndObject();

            writer.WriteStartObject("storage");
            writer.WriteString("engine", _options.Storage.Engine);
            // Whatever the engine reports about itself (IStoreMetrics); absent figures are left out.
            Optional("traces", "threadline_store_traces");
            Optional("spans", "threadline_store_resident_spans");
            Optional("maxSpans", "threadline_store_capacity_spans");
            Optional("evictedTraces", "threadline_store_evicted_traces");
            Optional("evictedSpans", "threadline_store_evicted_spans");
            writer.WriteEndObject();

            writer.WriteEndObject();

            void Number(string property, string metric, params (string Key, string Value)[] labels) =>
                writer.WriteNumber(property, metrics.TryGetValue(metric, out var m) ? (long)m.Sum(labels) : 0);

            void Optional(string property, string metric)
            {
                if (metrics.TryGetValue(metric, out var m)) writer.WriteNumber(property, (long)m.Sum());
            }
        }, context.RequestAborted);
    }
}
