using System.Globalization;
using Microsoft.AspNetCore.Http;
using Threadline.Protocol.Tempo;
using Threadline.Query.Parameters;
using Threadline.Query.TraceQL;
using Threadline.Server.Api.Tempo;
using Threadline.Server.Tempo;

namespace Threadline.Server.Api;

/// <summary>
/// The native TraceQL API on the API port: <c>GET /api/v1/traceql</c> and
/// <c>GET /api/v1/traceql/metrics</c>. They answer exactly the JSON of Tempo's <c>/api/search</c>
/// and <c>/api/metrics/query_range</c> (one writer, <see cref="TempoJson"/>), so the CLI, the UI and
/// Grafana parse one shape; parameters and errors follow the native API (times as Unix
/// nanoseconds or RFC 3339, errors as <c>{"error":…,"parameter":…}</c>, a syntax error with its
/// line and column). See docs/api.md, "TraceQL (native)".
/// </summary>
internal sealed class TraceQLEndpoints
{
    private readonly TempoQueryService _queries;

    public TraceQLEndpoints(TempoQueryService queries) => _queries = queries;

    /// <summary><c>GET /api/v1/traceql?q=&amp;start=&amp;end=&amp;limit=&amp;spss=</c>.</summary>
    public async Task SearchAsync(HttpContext context)
    {
        var parameters = new QueryStringParameters(context.Request.Query);
        if (!TryQuery(parameters, out var query, out var error)
            || !TryTime(parameters, "start", out var start, out error)
            || !TryTime(parameters, "end", out var end, out error)
            || !TryCount(parameters, "limit", TraceQLSearchRequest.DefaultLimit, out var limit, out error)
            || !TryCount(parameters, "spss", TraceQLSearchRequest.DefaultSpansPerSpanset, out var spss, out error))
        {
            await ApiResponses.BadRequestAsync(context.Response, error, context.RequestAborted).ConfigureAwait(false);
            return;
        }
        await AnswerAsync(context, async () =>
        {
            var response = await _queries.SearchAsync(new TraceQLSearchRequest
            {
                Query = query,
                StartUnixNano = start,
                EndUnixNano = end,
                Limit = limit,
                SpansPerSpanset = spss,
            }, context.RequestAborted).ConfigureAwait(false);
            await ApiResponses.JsonAsync(context.Response, StatusCodes.Status200OK, writer => TempoJson.WriteSearchResponse(writer, response), context.RequestAborted).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/v1/traceql/metrics?q=&amp;start=&amp;end=&amp;step=</c>.</summary>
    public async Task MetricsAsync(HttpContext context)
    {
        var parameters = new QueryStringParameters(context.Request.Query);
        ulong step = 0;
        if (!TryQuery(parameters, out var query, out var error)
            || !TryTime(parameters, "start", out var start, out error)
            || !TryTime(parameters, "end", out var end, out error)
            || !TryStep(parameters, out step, out error))
        {
            await ApiResponses.BadRequestAsync(context.Response, error, context.RequestAborted).ConfigureAwait(false);
            return;
        }
        await AnswerAsync(context, async () =>
        {
            var response = await _queries.QueryRangeAsync(new TempoQueryRangeRequest
            {
                Query = query,
                StartUnixNano = start,
                EndUnixNano = end,
                StepNanos = step,
            }, context.RequestAborted).ConfigureAwait(false);
            await ApiResponses.JsonAsync(context.Response, StatusCodes.Status200OK, writer => TempoJson.WriteQueryRangeResponse(writer, response), context.RequestAborted).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    // A query that cannot run is the client's: 400 with the engine's message, naming the q
    // parameter and, for a syntax error, the line and column within it.
    private static async Task AnswerAsync(HttpContext context, Func<Task> answer)
    {
        try
        {
            await answer().ConfigureAwait(false);
        }
        catch (TraceQLSyntaxException ex) when (!context.Response.HasStarted)
        {
            await ApiResponses.JsonAsync(context.Response, StatusCodes.Status400BadRequest, writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("error", "Parameter 'q' is not valid TraceQL: " + ex.Message);
                writer.WriteString("parameter", "q");
                writer.WriteNumber("line", ex.Line);
                writer.WriteNumber("column", ex.Column);
                writer.WriteString("expected", ex.Expected);
                writer.WriteEndObject();
            }, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TraceQLQueryException or TempoRequestException && !context.Response.HasStarted)
        {
            await ApiResponses.ErrorAsync(context.Response, StatusCodes.Status400BadRequest, new ApiError("q", ex.Message), context.RequestAborted).ConfigureAwait(false);
        }
    }

    private static bool TryQuery(IQueryParameters parameters, out string query, out ParameterError error)
    {
        query = string.Empty;
        if (!SingleValue.TryGet(parameters, "q", out var text, out error)) return false;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = ParameterError.Create("q", "is missing; give a TraceQL query such as { status = error }");
            return false;
        }
        query = text;
        return true;
    }

    private static bool TryTime(IQueryParameters parameters, string name, out ulong nanos, out ParameterError error)
    {
        nanos = 0;
        if (!SingleValue.TryGet(parameters, name, out var text, out error)) return false;
        return text is null || TimestampParser.TryParse(name, text, out nanos, out error);
    }

    private static bool TryCount(IQueryParameters parameters, string name, int defaultValue, out int value, out ParameterError error)
    {
        value = defaultValue;
        if (!SingleValue.TryGet(parameters, name, out var text, out error)) return false;
        // The engine states its own upper bound when a value passes it.
        return text is null || LimitParser.TryParse(name, text, 1, int.MaxValue, defaultValue, out value, out error);
    }

    private static bool TryStep(IQueryParameters parameters, out ulong nanos, out ParameterError error)
    {
        nanos = 0;
        if (!SingleValue.TryGet(parameters, "step", out var text, out error)) return false;
        if (text is null) return true;
        if (!DurationParser.TryParse("step", text, out nanos, out error)) return false;
        if (nanos > 0) return true;
        error = ParameterError.Create("step", string.Create(CultureInfo.InvariantCulture, $"is '{ParameterError.Echo(text)}'; give a positive duration such as 30s or 1m, or leave it out for the engine's choice"));
        return false;
    }
}
