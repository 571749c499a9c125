using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Threadline.Core.Model;
using Threadline.Protocol.Otlp;
using Threadline.Query.Parameters;
using Threadline.Query.Search;

namespace Threadline.Server.Api.Ui;

/// <summary>
/// The UI's compact views of one trace: <c>GET /api/v1/traces/{traceId}/outline?offset=&amp;limit=</c>
/// (the waterfall's columns, in chunks, so a million-span trace arrives progressively instead of as
/// a gigabyte of OTLP/JSON) and <c>GET /api/v1/traces/{traceId}/spans/{spanId}</c> (one span in full).
/// </summary>
internal sealed class UiTraceEndpoints
{
    public const int DefaultLimit = 10_000;
    public const int MaxLimit = 200_000;

    private readonly TraceSearchService _search;
    private readonly TraceOutlineCache _cache;

    public UiTraceEndpoints(TraceSearchService search, TraceOutlineCache cache)
    {
        _search = search;
        _cache = cache;
    }

    public async Task OutlineAsync(HttpContext context)
    {
        var response = context.Response;
        var cancellationToken = context.RequestAborted;
        if (!TryReadTraceId(context, out var traceId, out var error)
            || !TryReadCount(context, "offset", 0, int.MaxValue, 0, out var offset, out error)
            || !TryReadCount(context, "limit", 1, MaxLimit, DefaultLimit, out var limit, out error))
        {
            await ApiResponses.BadRequestAsync(response, error, cancellationToken).ConfigureAwait(false);
            return;
        }

        // The first chunk always reads the store afresh; later chunks page through that same outline.
        var outline = offset == 0 ? null : _cache.Find(traceId);
        if (outline is null)
        {
            outline = await BuildAsync(traceId, cancellationToken).ConfigureAwait(false);
            if (outline is null)
            {
                await NotFoundAsync(response, $"Trace {traceId} was not found.", cancellationToken).ConfigureAwait(false);
                return;
            }
        }
        if (offset > outline.Count)
        {
            var past = ParameterError.Create("offset", $"is {offset}, past the end of the trace's {outline.Count} spans; give 0 to {outline.Count}");
            await ApiResponses.BadRequestAsync(response, past, cancellationToken).ConfigureAwait(false);
            return;
        }

        var end = (int)Math.Min((long)offset + limit, outline.Count);
        await ApiResponses.JsonAsync(response, StatusCodes.Status200OK,
            writer => TraceOutlineWriter.WriteChunk(writer, outline, offset, end), cancellationToken).ConfigureAwait(false);
    }

    public async Task SpanAsync(HttpContext context)
    {
        var response = context.Response;
        var cancellationToken = context.RequestAborted;
        if (!TryReadTraceId(context, out var traceId, out var error) || !TryReadSpanId(context, out var spanId, out error))
        {
            await ApiResponses.BadRequestAsync(response, error, cancellationToken).ConfigureAwait(false);
            return;
        }

        var outline = _cache.Find(traceId) ?? await BuildAsync(traceId, cancellationToken).ConfigureAwait(false);
        if (outline is null)
        {
            await NotFoundAsync(response, $"Trace {traceId} was not found.", cancellationToken).ConfigureAwait(false);
            return;
        }
        // Every span with that id: a duplicated id is a finding the detail should show, not hide.
        var matches = outline.Spans.Where(span => span.SpanId == spanId).ToList();
        if (matches.Count == 0)
        {
            await NotFoundAsync(response, $"Span {spanId} is not in trace {traceId}.", cancellationToken).ConfigureAwait(false);
            return;
        }

        response.ContentType = ApiResponses.JsonContentType;
        await using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            OtlpJsonEncoder.WriteExportRequest(writer, matches);
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<TraceOutline?> BuildAsync(TraceId traceId, CancellationToken cancellationToken)
    {
        var spans = await _search.GetTraceAsync(traceId, cancellationToken).ConfigureAwait(false);
        if (spans.Count == 0) return null;
        var outline = TraceOutline.Build(traceId, spans);
        _cache.Add(outline);
        return outline;
    }

    private static Task NotFoundAsync(HttpResponse response, string message, CancellationToken cancellationToken) =>
        ApiResponses.ErrorAsync(response, StatusCodes.Status404NotFound, new ApiError(null, message), cancellationToken);

    private static bool TryReadTraceId(HttpContext context, out TraceId traceId, out ParameterError error) =>
        TraceIdParser.TryParse("traceId", context.Request.RouteValues["traceId"] as string ?? string.Empty, out traceId, out error);

    private static bool TryReadSpanId(HttpContext context, out SpanId spanId, out ParameterError error)
    {
        var text = context.Request.RouteValues["spanId"] as string ?? string.Empty;
        error = default;
        if (text.Length == SpanId.HexLength && SpanId.TryParse(text.AsSpan(), out spanId) && !spanId.IsEmpty) return true;
        spanId = default;
        error = ParameterError.Create("spanId", $"is '{ParameterError.Echo(text)}'; give 16 hex digits, not all zero");
        return false;
    }

    private static bool TryReadCount(HttpContext context, string name, int min, int max, int defaultValue, out int value, out ParameterError error)
    {
        value = defaultValue;
        if (!SingleValue.TryGet(new QueryStringParameters(context.Request.Query), name, out var text, out error)) return false;
        return text is null || LimitParser.TryParse(name, text, min, max, defaultValue, out value, out error);
    }
}

/// <summary>Writes one chunk of an outline as columns; its service and name tables hold only the strings the chunk uses.</summary>
internal static class TraceOutlineWriter
{
    public static void WriteChunk(Utf8JsonWriter writer, TraceOutline outline, int offset, int end)
    {
        var spans = outline.Spans;
        var services = new StringTable();
        var names = new StringTable();
        var serviceIndexes = new int[end - offset];
        var nameIndexes = new int[end - offset];
        for (var i = offset; i < end; i++)
        {
            serviceIndexes[i - offset] = services.IndexOf(spans[i].ServiceName);
            nameIndexes[i - offset] = names.IndexOf(spans[i].Name);
        }

        writer.WriteStartObject();
        writer.WriteString("traceId", outline.TraceId.ToString());
        writer.WriteNumber("spanCount", outline.Count);
        writer.WriteNumber("offset", offset);
        writer.WriteString("startTimeUnixNano", outline.StartTimeUnixNano.ToString(CultureInfo.InvariantCulture));
        writer.WriteNumber("durationNanos", outline.DurationNanos);
        WriteTable(writer, "services", services);
        WriteTable(writer, "names", names);

        writer.WriteStartArray("spanIds");
        for (var i = offset; i < end; i++) writer.WriteStringValue(spans[i].SpanId.ToString());
        writer.WriteEndArray();
        WriteColumn(writer, "parents", offset, end, i => outline.Parents[i]);
        WriteColumn(writer, "serviceIndexes", 0, end - offset, i => serviceIndexes[i]);
        WriteColumn(writer, "nameIndexes", 0, end - offset, i => nameIndexes[i]);
        writer.WriteStartArray("startOffsetNanos");
        for (var i = offset; i < end; i++) writer.WriteNumberValue(spans[i].StartTimeUnixNano - outline.StartTimeUnixNano);
        writer.WriteEndArray();
        writer.WriteStartArray("spanDurationNanos");
        for (var i = offset; i < end; i++) writer.WriteNumberValue(spans[i].DurationNanos);
        writer.WriteEndArray();
        WriteColumn(writer, "statuses", offset, end, i => (int)spans[i].Status.Code);
        WriteColumn(writer, "kinds", offset, end, i => (int)spans[i].Kind);
        WriteColumn(writer, "flags", offset, end, i => outline.FlagsOf(i));
        writer.WriteEndObject();
    }

    private static void WriteTable(Utf8JsonWriter writer, string name, StringTable table)
    {
        writer.WriteStartArray(name);
        foreach (var value in table.Values) writer.WriteStringValue(value);
        writer.WriteEndArray();
    }

    private static void WriteColumn(Utf8JsonWriter writer, string name, int from, int to, Func<int, int> value)
    {
        writer.WriteStartArray(name);
        for (var i = from; i < to; i++) writer.WriteNumberValue(value(i));
        writer.WriteEndArray();
    }
}

/// <summary>Distinct strings numbered in order of first use.</summary>
internal sealed class StringTable
{
    private readonly Dictionary<string, int> _indexes = new(StringComparer.Ordinal);
    private readonly List<string> _values = [];

    public IReadOnlyList<string> Values => _values;

    public int IndexOf(string value)
    {
        if (!_indexes.TryGetValue(value, out var index))
        {
            index = _values.Count;
            _indexes.Add(value, index);
            _values.Add(value);
        }
        return index;
    }
}
