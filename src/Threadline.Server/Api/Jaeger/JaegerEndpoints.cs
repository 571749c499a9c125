using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Threadline.Core.Model;
using Threadline.Protocol.Jaeger;
using Threadline.Query.Parameters;
using Threadline.Query.Search;
using Threadline.Storage;
using Threadline.Storage.Aggregates;

namespace Threadline.Server.Api.Jaeger;

/// <summary>
/// Jaeger's v1 query API, the one the Jaeger UI reads: services, operations, trace search and
/// trace by id in its JSON model, and the dependency graph from the ingest-time service graph.
/// Every answer is Jaeger's envelope; errors carry the status and a message naming the parameter.
/// </summary>
internal sealed class JaegerEndpoints
{
    /// <summary>The dependency window when <c>lookback</c> is not given (Jaeger's default).</summary>
    public static readonly TimeSpan DefaultDependencyLookback = TimeSpan.FromDays(1);

    /// <summary>The widest dependency window: the graph is merged minute by minute.</summary>
    public static readonly TimeSpan MaxDependencyLookback = TimeSpan.FromDays(31);

    private const string TraceNotFound = "trace not found";

    private readonly TraceSearchService _search;
    private readonly ITraceStore _store;
    private readonly TimeProvider _time;

    public JaegerEndpoints(TraceSearchService search, ITraceStore store, TimeProvider time)
    {
        _search = search;
        _store = store;
        _time = time;
    }

    /// <summary><c>GET /api/services</c>: every service seen.</summary>
    public async Task ServicesAsync(HttpContext context)
    {
        var services = await _search.GetServicesAsync(context.RequestAborted).ConfigureAwait(false);
        await JaegerResponses.StringsAsync(context.Response, services, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/services/{service}/operations</c>: the service's span names, each once.</summary>
    public async Task ServiceOperationsAsync(HttpContext context)
    {
        var service = context.Request.RouteValues["service"] as string ?? string.Empty;
        var operations = await _search.GetOperationsAsync(service, context.RequestAborted).ConfigureAwait(false);
        var names = operations.Select(o => o.Name).Distinct(StringComparer.Ordinal).ToList();
        await JaegerResponses.StringsAsync(context.Response, names, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/operations?service=&amp;spanKind=</c>: span names with their kinds.</summary>
    public async Task OperationsAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        if (!JaegerOperationsQuery.TryParse(new QueryStringParameters(context.Request.Query), "service", "spanKind", out var query, out var error))
        {
            await JaegerResponses.ErrorAsync(context.Response, StatusCodes.Status400BadRequest, error.Message, cancellationToken).ConfigureAwait(false);
            return;
        }
        var operations = await query.ReadAsync(_search, cancellationToken).ConfigureAwait(false);
        await JaegerResponses.EnvelopeAsync(context.Response, operations.Count, writer =>
        {
            writer.WriteStartArray();
            foreach (var operation in operations)
            {
                writer.WriteStartObject();
                writer.WriteString("name", operation.Name);
                writer.WriteString("spanKind", JaegerOperationsQuery.KindName(operation.Kind));
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/traces/{traceID}</c>: one whole trace; 404 when unknown.</summary>
    public async Task TraceAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var request = context.Request;
        var text = request.RouteValues["traceID"] as string ?? string.Empty;
        if (!JaegerIds.TryParseTraceId(text, out var traceId))
        {
            await BadRequestAsync(context, ParameterError.Create("traceID", $"is '{ParameterError.Echo(text)}'; give 1 to 32 hex digits (or the id in base64), not all zero")).ConfigureAwait(false);
            return;
        }
        var parameters = new QueryStringParameters(request.Query);
        if (!SingleValue.TryGet(parameters, "start", out var startText, out var error)
            || !SingleValue.TryGet(parameters, "end", out var endText, out error))
        {
            await BadRequestAsync(context, error).ConfigureAwait(false);
            return;
        }
        ulong start = 0, end = 0;
        if ((startText is not null && !JaegerTime.TryParseMicros("start", startText, out start, out error))
            || (endText is not null && !JaegerTime.TryParseMicros("end", endText, out end, out error)))
        {
            await BadRequestAsync(context, error).ConfigureAwait(false);
            return;
        }

        var spans = await _store.GetTraceAsync(new TraceByIdRequest(traceId) { StartHintUnixNano = start, EndHintUnixNano = end }, cancellationToken).ConfigureAwait(false);
        if (spans.Count == 0)
        {
            await JaegerResponses.ErrorAsync(context.Response, StatusCodes.Status404NotFound, TraceNotFound, cancellationToken).ConfigureAwait(false);
            return;
        }
        await JaegerResponses.EnvelopeAsync(context.Response, 0, writer =>
        {
            writer.WriteStartArray();
            JaegerTraceWriter.WriteTrace(writer, spans);
            writer.WriteEndArray();
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>GET /api/traces</c>: the newest traces with a span matching the filters, whole, or the
    /// traces named by <c>traceID</c> (each one not found is listed in <c>errors</c>).
    /// </summary>
    public async Task SearchAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        if (!JaegerSearchParser.TryParse(new QueryStringParameters(context.Request.Query), _time.GetUtcNow(), out var search, out var error))
        {
            await BadRequestAsync(context, error).ConfigureAwait(false);
            return;
        }

        var errors = new List<JaegerError>();
        IEnumerable<TraceByIdRequest> traces;
        if (search.TraceIds.Count > 0)
        {
            traces = search.TraceIds.Select(id => new TraceByIdRequest(id));
        }
        else
        {
            var summaries = await _search.SearchAsync(search.Query, cancellationToken).ConfigureAwait(false);
            traces = summaries.Select(s => new TraceByIdRequest(s.TraceId));
        }

        // Whole traces can be large: each is written and flushed before the next is read.
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ApiResponses.JsonContentType;
        await using var writer = new Utf8JsonWriter(response.BodyWriter, ApiResponses.WriterOptions);
        writer.WriteStartObject();
        writer.WriteStartArray("data");
        foreach (var request in traces)
        {
            var spans = await _store.GetTraceAsync(request, cancellationToken).ConfigureAwait(false);
            if (spans.Count == 0)
            {
                errors.Add(new JaegerError(0, TraceNotFound, JaegerIds.Format(request.TraceId)));
                continue;
            }
            JaegerTraceWriter.WriteTrace(writer, spans);
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        writer.WriteEndArray();
        JaegerResponses.WriteTail(writer, 0, errors);
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>GET /api/dependencies?endTs=&amp;lookback=</c> (milliseconds): service-to-service call
    /// counts over the window, from the service graph kept at ingest.
    /// </summary>
    public async Task DependenciesAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var parameters = new QueryStringParameters(context.Request.Query);
        if (!TryParseDependencies(parameters, _time.GetUtcNow(), out var query, out var service, out var error))
        {
            await BadRequestAsync(context, error).ConfigureAwait(false);
            return;
        }
        var edges = await _store.GetServiceGraphAsync(query, cancellationToken).ConfigureAwait(false);

        // Jaeger has one link per caller and callee, whatever the kind of connection.
        var links = new SortedDictionary<(string Parent, string Child), long>();
        foreach (var edge in edges)
        {
            if (service is not null && edge.Key.Caller != service && edge.Key.Callee != service) continue;
            var key = (edge.Key.Caller, edge.Key.Callee);
            links[key] = links.GetValueOrDefault(key) + edge.Total.Count;
        }
        await JaegerResponses.EnvelopeAsync(context.Response, 0, writer =>
        {
            writer.WriteStartArray();
            foreach (var ((parent, child), count) in links)
            {
                writer.WriteStartObject();
                writer.WriteString("parent", parent);
                writer.WriteString("child", child);
                writer.WriteNumber("callCount", count);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }, cancellationToken).ConfigureAwait(false);
    }

    private static bool TryParseDependencies(IQueryParameters parameters, DateTimeOffset now, out AggregateQuery query, out string? service, out ParameterError error)
    {
        query = null!;
        service = null;
        if (!SingleValue.TryGet(parameters, "endTs", out var endText, out error)
            || !SingleValue.TryGet(parameters, "lookback", out var lookbackText, out error)
            || !SingleValue.TryGet(parameters, "service", out service, out error))
            return false;

        var end = JaegerTime.UnixNanos(now);
        if (endText is not null && !JaegerTime.TryParseMillis("endTs", endText, out end, out error)) return false;

        var maxMillis = (ulong)MaxDependencyLookback.TotalMilliseconds;
        var lookback = (ulong)DefaultDependencyLookback.TotalMilliseconds * 1_000_000;
        if (lookbackText is not null)
        {
            if (!ulong.TryParse(lookbackText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var millis) || millis == 0 || millis > maxMillis)
            {
                error = ParameterError.Create("lookback", $"is '{ParameterError.Echo(lookbackText)}'; give milliseconds from 1 to {maxMillis} ({MaxDependencyLookback.TotalDays} days)");
                return false;
            }
            lookback = millis * 1_000_000;
        }
        query = new AggregateQuery { StartTimeUnixNano = end > lookback ? end - lookback : 0, EndTimeUnixNano = Math.Max(end, 1) };
        return true;
    }

    private static Task BadRequestAsync(HttpContext context, ParameterError error) =>
        JaegerResponses.ErrorAsync(context.Response, StatusCodes.Status400BadRequest, error.Message, context.RequestAborted);
}
