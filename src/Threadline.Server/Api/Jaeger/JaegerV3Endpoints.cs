using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Threadline.Core.Model;
using Threadline.Protocol.Jaeger;
using Threadline.Protocol.Otlp;
using Threadline.Query.Parameters;
using Threadline.Query.Search;
using Threadline.Storage;

namespace Threadline.Server.Api.Jaeger;

/// <summary>
/// Jaeger's v3 query API (<c>/api/v3/…</c>) as Jaeger v2's HTTP gateway answers it: traces as OTLP
/// JSON inside <c>{"result":…}</c>, services, operations, and trace summaries (what the Jaeger
/// UI's search page lists). Errors are <c>{"error":{"httpCode","message"}}</c>.
/// </summary>
internal sealed class JaegerV3Endpoints
{
    private const string NoTracesFound = "No traces found";

    private readonly TraceSearchService _search;
    private readonly ITraceStore _store;

    public JaegerV3Endpoints(TraceSearchService search, ITraceStore store)
    {
        _search = search;
        _store = store;
    }

    /// <summary><c>GET /api/v3/services</c> → <c>{"services":[…]}</c>.</summary>
    public async Task ServicesAsync(HttpContext context)
    {
        var services = await _search.GetServicesAsync(context.RequestAborted).ConfigureAwait(false);
        await ApiResponses.StringListAsync(context.Response, "services", services, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/v3/operations?service=&amp;spanKind=</c> → <c>{"operations":[{"name","spanKind"}]}</c>.</summary>
    public async Task OperationsAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        if (!JaegerOperationsQuery.TryParse(new QueryStringParameters(context.Request.Query), "service", "spanKind", out var query, out var error, deprecatedKindParameter: "span_kind"))
        {
            await BadRequestAsync(context, error).ConfigureAwait(false);
            return;
        }
        var operations = await query.ReadAsync(_search, cancellationToken).ConfigureAwait(false);
        await ApiResponses.JsonAsync(context.Response, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("operations");
            foreach (var operation in operations)
            {
                writer.WriteStartObject();
                if (operation.Name.Length > 0) writer.WriteString("name", operation.Name);
                // Jaeger's gateway calls a span without a kind internal.
                var kind = JaegerOperationsQuery.KindName(operation.Kind);
                writer.WriteString("spanKind", kind.Length == 0 ? "internal" : kind);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/v3/traces/{traceId}?startTime=&amp;endTime=</c>: the trace as OTLP JSON; 404 when unknown.</summary>
    public async Task TraceAsync(HttpContext context)
    {
        var text = context.Request.RouteValues["traceId"] as string ?? string.Empty;
        if (!JaegerIds.TryParseTraceId(text, out var traceId))
        {
            await BadRequestAsync(context, ParameterError.Create("trace_id", $"is '{ParameterError.Echo(text)}'; give 1 to 32 hex digits (or the id in base64), not all zero")).ConfigureAwait(false);
            return;
        }
        var parameters = new QueryStringParameters(context.Request.Query);
        if (!TryHint(parameters, "startTime", "start_time", out var start, out var error)
            || !TryHint(parameters, "endTime", "end_time", out var end, out error)
            || !TryRaw(parameters, out error))
        {
            await BadRequestAsync(context, error).ConfigureAwait(false);
            return;
        }
        var spans = await _store.GetTraceAsync(new TraceByIdRequest(traceId) { StartHintUnixNano = start, EndHintUnixNano = end }, context.RequestAborted).ConfigureAwait(false);
        await WriteTracesAsync(context, spans).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/v3/traces?query.…</c>: every span of the matching traces, as one OTLP JSON document.</summary>
    public async Task FindTracesAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        if (!JaegerV3SearchParser.TryParse(new QueryStringParameters(context.Request.Query), JaegerSearchParser.MaxTraces, out var query, out var error))
        {
            await BadRequestAsync(context, error).ConfigureAwait(false);
            return;
        }
        var summaries = await _search.SearchAsync(query, cancellationToken).ConfigureAwait(false);
        var spans = new List<Span>();
        foreach (var summary in summaries)
            spans.AddRange(await _store.GetTraceAsync(new TraceByIdRequest(summary.TraceId), cancellationToken).ConfigureAwait(false));
        await WriteTracesAsync(context, spans).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>GET /api/v3/trace-summaries?query.…</c> → <c>{"summaries":[…]}</c>: per trace its id, root
    /// service and operation, first start and last end (Unix ns, as strings), span and error
    /// counts, and the same per service. Zero values are left out, as protobuf JSON does.
    /// </summary>
    public async Task TraceSummariesAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        if (!JaegerV3SearchParser.TryParse(new QueryStringParameters(context.Request.Query), TraceSearchService.MaxSearchLimit, out var query, out var error))
        {
            await BadRequestAsync(context, error).ConfigureAwait(false);
            return;
        }
        var summaries = await _search.SearchAsync(query, cancellationToken).ConfigureAwait(false);
        await ApiResponses.JsonAsync(context.Response, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            if (summaries.Count > 0)
            {
                writer.WriteStartArray("summaries");
                foreach (var summary in summaries) WriteSummary(writer, summary);
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        }, cancellationToken).ConfigureAwait(false);
    }

    private static void WriteSummary(Utf8JsonWriter writer, TraceSummary summary)
    {
        writer.WriteStartObject();
        writer.WriteString("traceId", summary.TraceId.ToString());
        NonEmpty(writer, "rootServiceName", summary.RootServiceName);
        NonEmpty(writer, "rootOperationName", summary.RootSpanName);
        NonZeroText(writer, "minStartTimeUnixNano", summary.StartTimeUnixNano);
        NonZeroText(writer, "maxEndTimeUnixNano", summary.StartTimeUnixNano + summary.DurationNanos);
        NonZero(writer, "spanCount", summary.SpanCount);
        NonZero(writer, "errorSpanCount", summary.ErrorCount);
        if (summary.Services.Count > 0)
        {
            writer.WriteStartArray("services");
            foreach (var service in summary.Services)
            {
                writer.WriteStartObject();
                NonEmpty(writer, "name", service.ServiceName);
                NonZero(writer, "spanCount", service.SpanCount);
                NonZero(writer, "errorSpanCount", service.ErrorCount);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    private static Task WriteTracesAsync(HttpContext context, IReadOnlyList<Span> spans)
    {
        if (spans.Count == 0)
            return JaegerResponses.V3ErrorAsync(context.Response, StatusCodes.Status404NotFound, NoTracesFound, context.RequestAborted);
        return ApiResponses.JsonAsync(context.Response, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WritePropertyName("result");
            OtlpJsonEncoder.WriteExportRequest(writer, spans);
            writer.WriteEndObject();
        }, context.RequestAborted);
    }

    private static bool TryHint(IQueryParameters parameters, string name, string deprecatedName, out ulong unixNanos, out ParameterError error)
    {
        unixNanos = 0;
        if (!SingleValue.TryGet(parameters, name, out var text, out error)) return false;
        var used = name;
        if (text is null)
        {
            if (!SingleValue.TryGet(parameters, deprecatedName, out text, out error)) return false;
            used = deprecatedName;
        }
        return text is null || TimestampParser.TryParse(used, text, out unixNanos, out error);
    }

    // Threadline keeps spans as they arrived, so raw and adjusted traces are the same; the flag is only checked.
    private static bool TryRaw(IQueryParameters parameters, out ParameterError error)
    {
        foreach (var name in (string[])["rawTraces", "raw_traces"])
        {
            if (!SingleValue.TryGet(parameters, name, out var text, out error)) return false;
            if (text is not null && !bool.TryParse(text, out _))
            {
                error = ParameterError.Create(name, $"is '{ParameterError.Echo(text)}'; give true or false");
                return false;
            }
        }
        error = default;
        return true;
    }

    private static void NonEmpty(Utf8JsonWriter writer, string name, string value)
    {
        if (value.Length > 0) writer.WriteString(name, value);
    }

    private static void NonZero(Utf8JsonWriter writer, string name, int value)
    {
        if (value != 0) writer.WriteNumber(name, value);
    }

    // 64-bit integers are strings in protobuf JSON.
    private static void NonZeroText(Utf8JsonWriter writer, string name, ulong value)
    {
        if (value != 0) writer.WriteString(name, value.ToString(CultureInfo.InvariantCulture));
    }

    private static Task BadRequestAsync(HttpContext context, ParameterError error) =>
        JaegerResponses.V3ErrorAsync(context.Response, StatusCodes.Status400BadRequest, error.Message, context.RequestAborted);
}
