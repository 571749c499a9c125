using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Threadline.Protocol.Tempo;
using Threadline.Query.Search;
using Threadline.Server.Tempo;

namespace Threadline.Server.Api.Tempo;

/// <summary>
/// Tempo's HTTP API on its own port (3200), so that Grafana's Tempo data source works unchanged:
/// paths, parameters and answers as Tempo 2.7's <c>pkg/api/http.go</c> and <c>tempo.proto</c> have them.
/// See docs/api.md, "Tempo-compatible API".
/// </summary>
internal sealed class TempoEndpoints
{
    /// <summary>
    /// The Tempo version this API presents itself as. Grafana reads it from <c>/api/status/buildinfo</c>
    /// to decide which features to offer (TraceQL metrics, streaming); 2.7.2 is the release whose
    /// API and messages this one follows.
    /// </summary>
    public const string CompatibleVersion = "2.7.2";

    private readonly TempoQueryService _queries;
    private readonly TraceSearchService _traces;
    private readonly TimeProvider _time;

    public TempoEndpoints(TempoQueryService queries, TraceSearchService traces, TimeProvider time)
    {
        _queries = queries;
        _traces = traces;
        _time = time;
    }

    /// <summary><c>GET /api/echo</c>: <c>echo</c>, the liveness check Grafana's "Test" button makes.</summary>
    public static Task EchoAsync(HttpContext context) => TempoHttpResponses.TextAsync(context, StatusCodes.Status200OK, "echo");

    /// <summary><c>GET /api/status/buildinfo</c>: Prometheus' version object, as Tempo answers it.</summary>
    public static Task BuildInfoAsync(HttpContext context) =>
        ApiResponses.JsonAsync(context.Response, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("version", CompatibleVersion);
            writer.WriteString("revision", typeof(TempoEndpoints).Assembly.GetName().Version?.ToString() ?? string.Empty);
            writer.WriteString("branch", "threadline");
            writer.WriteString("buildUser", string.Empty);
            writer.WriteString("buildDate", string.Empty);
            writer.WriteString("goVersion", string.Empty);
            writer.WriteEndObject();
        }, context.RequestAborted);

    /// <summary><c>GET /api/traces/{traceID}</c>: the trace (<c>{"batches":[…]}</c>, or protobuf); 404 with an empty body when unknown.</summary>
    public Task TraceAsync(HttpContext context) => TempoHttpResponses.HandleAsync(context, async () =>
    {
        var spans = await _traces.GetTraceAsync(TraceId(context), context.RequestAborted).ConfigureAwait(false);
        if (spans.Count == 0)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        await TempoHttpResponses.WriteAsync(context, spans, TempoTraceEncoding.WriteTraceJson, TempoTraceEncoding.EncodeTrace).ConfigureAwait(false);
    });

    /// <summary><c>GET /api/v2/traces/{traceID}</c>: <c>{"trace":{…}}</c>, 200 with an empty trace when unknown, as Tempo answers.</summary>
    public Task TraceV2Async(HttpContext context) => TempoHttpResponses.HandleAsync(context, async () =>
    {
        var spans = await _traces.GetTraceAsync(TraceId(context), context.RequestAborted).ConfigureAwait(false);
        await TempoHttpResponses.WriteAsync(context, spans, TempoTraceEncoding.WriteTraceByIdResponseJson, TempoTraceEncoding.EncodeTraceByIdResponse).ConfigureAwait(false);
    });

    /// <summary><c>GET /api/search</c>.</summary>
    public Task SearchAsync(HttpContext context) => TempoHttpResponses.HandleAsync(context, async () =>
    {
        var response = await _queries.SearchAsync(TempoHttpParameters.Search(context.Request.Query), context.RequestAborted).ConfigureAwait(false);
        await TempoHttpResponses.WriteAsync(context, response, TempoJson.WriteSearchResponse, TempoProtobuf.EncodeSearchResponse).ConfigureAwait(false);
    });

    /// <summary><c>GET /api/search/tags</c>.</summary>
    public Task TagsAsync(HttpContext context) => TempoHttpResponses.HandleAsync(context, async () =>
    {
        var response = await _queries.SearchTagsAsync(TempoHttpParameters.Tags(context.Request.Query), context.RequestAborted).ConfigureAwait(false);
        await TempoHttpResponses.WriteAsync(context, response, TempoJson.WriteSearchTagsResponse, TempoProtobuf.EncodeSearchTagsResponse).ConfigureAwait(false);
    });

    /// <summary><c>GET /api/v2/search/tags</c>.</summary>
    public Task TagsV2Async(HttpContext context) => TempoHttpResponses.HandleAsync(context, async () =>
    {
        var response = await _queries.SearchTagsV2Async(TempoHttpParameters.Tags(context.Request.Query), context.RequestAborted).ConfigureAwait(false);
        await TempoHttpResponses.WriteAsync(context, response, TempoJson.WriteSearchTagsV2Response, TempoProtobuf.EncodeSearchTagsV2Response).ConfigureAwait(false);
    });

    /// <summary><c>GET /api/search/tag/{tagName}/values</c>.</summary>
    public Task TagValuesAsync(HttpContext context) => TempoHttpResponses.HandleAsync(context, async () =>
    {
        var response = await _queries.SearchTagValuesAsync(TempoHttpParameters.TagValues(context), context.RequestAborted).ConfigureAwait(false);
        await TempoHttpResponses.WriteAsync(context, response, TempoJson.WriteSearchTagValuesResponse, TempoProtobuf.EncodeSearchTagValuesResponse).ConfigureAwait(false);
    });

    /// <summary><c>GET /api/v2/search/tag/{tagName}/values</c>.</summary>
    public Task TagValuesV2Async(HttpContext context) => TempoHttpResponses.HandleAsync(context, async () =>
    {
        var response = await _queries.SearchTagValuesV2Async(TempoHttpParameters.TagValues(context), context.RequestAborted).ConfigureAwait(false);
        await TempoHttpResponses.WriteAsync(context, response, TempoJson.WriteSearchTagValuesV2Response, TempoProtobuf.EncodeSearchTagValuesV2Response).ConfigureAwait(false);
    });

    /// <summary><c>GET /api/metrics/query_range</c>.</summary>
    public Task QueryRangeAsync(HttpContext context) => TempoHttpResponses.HandleAsync(context, async () =>
    {
        var request = TempoHttpParameters.Metrics(context.Request.Query, _time.GetUtcNow());
        var response = await _queries.QueryRangeAsync(request, context.RequestAborted).ConfigureAwait(false);
        await TempoHttpResponses.WriteAsync(context, response, TempoJson.WriteQueryRangeResponse, TempoProtobuf.EncodeQueryRangeResponse).ConfigureAwait(false);
    });

    /// <summary><c>GET /api/metrics/query</c>: one value per series over [start, end).</summary>
    public Task QueryInstantAsync(HttpContext context) => TempoHttpResponses.HandleAsync(context, async () =>
    {
        var request = TempoHttpParameters.Metrics(context.Request.Query, _time.GetUtcNow()) with { StepNanos = 0 };
        var response = await _queries.QueryInstantAsync(request, context.RequestAborted).ConfigureAwait(false);
        await TempoHttpResponses.WriteAsync(context, response, TempoJson.WriteQueryInstantResponse, TempoProtobuf.EncodeQueryInstantResponse).ConfigureAwait(false);
    });

    private static Core.Model.TraceId TraceId(HttpContext context)
    {
        var text = context.Request.RouteValues["traceID"] as string ?? string.Empty;
        return TempoTraceIds.TryParse(text, out var traceId, out var error) ? traceId : throw new TempoRequestException(error!);
    }
}
