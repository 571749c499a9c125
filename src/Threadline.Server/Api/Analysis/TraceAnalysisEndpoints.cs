using Microsoft.AspNetCore.Http;
using Threadline.Core.Model;
using Threadline.Query.Analysis;
using Threadline.Query.Parameters;

namespace Threadline.Server.Api.Analysis;

/// <summary>
/// The per-trace analyses on the native API: <c>GET /api/v1/traces/{traceId}/critical-path</c>,
/// <c>/health</c> and <c>/compare/{otherTraceId}</c> (<c>typical</c> for the typical trace of the
/// root operation, over <c>start</c>..<c>end</c>). See docs/api.md, "Trace analyses".
/// </summary>
internal sealed class TraceAnalysisEndpoints
{
    /// <summary>The word that asks for the typical trace instead of a second trace id.</summary>
    public const string Typical = "typical";

    private readonly TraceAnalysisService _analyses;

    public TraceAnalysisEndpoints(TraceAnalysisService analyses) => _analyses = analyses;

    public async Task CriticalPathAsync(HttpContext context)
    {
        if (await TryTraceIdAsync(context, "traceId") is not { } traceId) return;
        var answer = await _analyses.GetCriticalPathAsync(traceId, context.RequestAborted).ConfigureAwait(false);
        if (answer is not { } found)
        {
            await NotFoundAsync(context, traceId).ConfigureAwait(false);
            return;
        }
        await ApiResponses.JsonAsync(context.Response, StatusCodes.Status200OK,
            writer => TraceAnalysisJson.WriteCriticalPath(writer, found.Trace, found.Path), context.RequestAborted).ConfigureAwait(false);
    }

    public async Task HealthAsync(HttpContext context)
    {
        if (await TryTraceIdAsync(context, "traceId") is not { } traceId) return;
        var answer = await _analyses.GetHealthAsync(traceId, context.RequestAborted).ConfigureAwait(false);
        if (answer is not { } found)
        {
            await NotFoundAsync(context, traceId).ConfigureAwait(false);
            return;
        }
        await ApiResponses.JsonAsync(context.Response, StatusCodes.Status200OK,
            writer => TraceAnalysisJson.WriteHealth(writer, found.Trace, found.Findings), context.RequestAborted).ConfigureAwait(false);
    }

    public async Task CompareAsync(HttpContext context)
    {
        if (await TryTraceIdAsync(context, "traceId") is not { } traceId) return;
        var other = context.Request.RouteValues["otherTraceId"] as string ?? string.Empty;
        var typical = string.Equals(other, Typical, StringComparison.Ordinal);
        TraceId otherTraceId = default;
        var parameters = new QueryStringParameters(context.Request.Query);
        if ((!typical && !TraceIdParser.TryParse("otherTraceId", other, out otherTraceId, out var error))
            || !TryTime(parameters, "start", out var start, out error)
            || !TryTime(parameters, "end", out var end, out error))
        {
            if (!typical && error.Parameter == "otherTraceId")
                error = error with { Message = error.Message.TrimEnd('.') + ", or the word typical." };
            await ApiResponses.BadRequestAsync(context.Response, error, context.RequestAborted).ConfigureAwait(false);
            return;
        }
        if (start is { } s && end is { } e && s > e)
        {
            await ApiResponses.BadRequestAsync(context.Response,
                ParameterError.Create("start", "is after end; give a start no later than the end"), context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var outcome = typical
            ? await _analyses.CompareWithTypicalAsync(traceId, start, end, context.RequestAborted).ConfigureAwait(false)
            : await _analyses.CompareAsync(traceId, otherTraceId, context.RequestAborted).ConfigureAwait(false);
        if (outcome.Result is not { } result)
        {
            await NotFoundAsync(context, outcome.MissingTraceId!.Value).ConfigureAwait(false);
            return;
        }
        await ApiResponses.JsonAsync(context.Response, StatusCodes.Status200OK,
            writer => TraceAnalysisJson.WriteComparison(writer, result), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<TraceId?> TryTraceIdAsync(HttpContext context, string name)
    {
        var text = context.Request.RouteValues[name] as string ?? string.Empty;
        if (TraceIdParser.TryParse(name, text, out var traceId, out var error)) return traceId;
        await ApiResponses.BadRequestAsync(context.Response, error, context.RequestAborted).ConfigureAwait(false);
        return null;
    }

    private static Task NotFoundAsync(HttpContext context, TraceId traceId) =>
        ApiResponses.ErrorAsync(context.Response, StatusCodes.Status404NotFound,
            new ApiError(null, $"Trace {traceId} was not found."), context.RequestAborted);

    private static bool TryTime(IQueryParameters parameters, string name, out ulong? nanos, out ParameterError error)
    {
        nanos = null;
        if (!SingleValue.TryGet(parameters, name, out var text, out error)) return false;
        if (text is null) return true;
        if (!TimestampParser.TryParse(name, text, out var value, out error)) return false;
        nanos = value;
        return true;
    }
}
