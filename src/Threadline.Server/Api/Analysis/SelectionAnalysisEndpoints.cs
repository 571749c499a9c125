using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Threadline.Core.Analysis.Triage;
using Threadline.Query.Analysis;
using Threadline.Query.Parameters;
using Threadline.Query.TraceQL;

namespace Threadline.Server.Api.Analysis;

/// <summary>
/// The analyses over a selection of spans in a time range, on the API port:
/// <c>GET /api/v1/triage</c> (what sets the selected spans apart from the baseline) and
/// <c>GET /api/v1/genai</c> (GenAI calls per provider, model and operation). The JSON is the
/// analysis contract's (docs/api.md), plus <c>truncated</c> when the span cap cut the scan short.
/// </summary>
internal sealed class SelectionAnalysisEndpoints
{
    public const string TriagePath = "/triage";
    public const string GenAiPath = "/genai";

    private static readonly string[] GenAiParameters = ["start", "end"];

    private readonly TriageService _triage;
    private readonly GenAiService _genAi;
    private readonly TraceQLOptions _traceQL;
    private readonly TimeProvider _time;

    public SelectionAnalysisEndpoints(TriageService triage, GenAiService genAi, TraceQLOptions traceQL, TimeProvider time)
    {
        _triage = triage;
        _genAi = genAi;
        _traceQL = traceQL;
        _time = time;
    }

    /// <summary><c>GET /api/v1/triage?selection=&amp;service=&amp;operation=&amp;baseline=&amp;start=&amp;end=&amp;limit=</c>.</summary>
    public async Task TriageAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        TriageRequest? request;
        ParameterError error;
        try
        {
            if (!TriageQueryParser.TryParse(new QueryStringParameters(context.Request.Query), Now(), _traceQL, out request, out error))
            {
                await ApiResponses.BadRequestAsync(context.Response, error, cancellationToken).ConfigureAwait(false);
                return;
            }
        }
        catch (TraceQLSyntaxException ex)
        {
            await SyntaxErrorAsync(context, ex).ConfigureAwait(false);
            return;
        }
        catch (TraceQLQueryException ex)
        {
            await SelectionErrorAsync(context, ex).ConfigureAwait(false);
            return;
        }

        TriageAnswer answer;
        try
        {
            answer = await _triage.TriageAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (TraceQLQueryException ex)
        {
            await SelectionErrorAsync(context, ex).ConfigureAwait(false);
            return;
        }
        await ApiResponses.JsonAsync(context.Response, StatusCodes.Status200OK, writer => WriteTriage(writer, answer), cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/v1/genai?start=&amp;end=</c>.</summary>
    public async Task GenAiAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        var parameters = new QueryStringParameters(context.Request.Query);
        if (!AnalysisTimeRange.TryCheckNames(parameters, GenAiParameters, out var error)
            || !AnalysisTimeRange.TryParse(parameters, Now(), out var start, out var end, out error))
        {
            await ApiResponses.BadRequestAsync(context.Response, error, cancellationToken).ConfigureAwait(false);
            return;
        }
        var answer = await _genAi.SummarizeAsync(new GenAiRequest(start, end), cancellationToken).ConfigureAwait(false);
        await ApiResponses.JsonAsync(context.Response, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("models");
            foreach (var model in answer.Models)
            {
                writer.WriteStartObject();
                WriteNullable(writer, "system", model.System);
                WriteNullable(writer, "model", model.Model);
                WriteNullable(writer, "operation", model.Operation);
                writer.WriteNumber("calls", model.Calls);
                writer.WriteNumber("errorCount", model.ErrorCount);
                writer.WriteNumber("inputTokens", model.InputTokens);
                writer.WriteNumber("outputTokens", model.OutputTokens);
                WriteNanos(writer, "p50Nanos", model.P50Nanos);
                WriteNanos(writer, "p95Nanos", model.P95Nanos);
                writer.WriteStartArray("services");
                foreach (var service in model.Services) writer.WriteStringValue(service);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteBoolean("truncated", answer.Truncated);
            writer.WriteEndObject();
        }, cancellationToken).ConfigureAwait(false);
    }

    private static void WriteTriage(Utf8JsonWriter writer, TriageAnswer answer)
    {
        var result = answer.Result;
        writer.WriteStartObject();
        WritePopulation(writer, "selection", answer.SelectionDescription, result.SelectionSpanCount);
        WritePopulation(writer, "baseline", answer.BaselineDescription, result.BaselineSpanCount);
        writer.WriteStartArray("attributes");
        foreach (var attribute in result.Attributes)
        {
            writer.WriteStartObject();
            writer.WriteString("scope", ScopeName(attribute.Scope));
            writer.WriteString("key", attribute.Key);
            writer.WriteString("value", attribute.Value.ToString());
            writer.WriteNumber("selectionCount", attribute.SelectionCount);
            writer.WriteNumber("selectionPercent", Math.Round(attribute.SelectionPercent, 1));
            writer.WriteNumber("baselineCount", attribute.BaselineCount);
            writer.WriteNumber("baselinePercent", Math.Round(attribute.BaselinePercent, 1));
            writer.WriteNumber("score", Math.Round(attribute.Score, 3));
            writer.WriteString("traceQL", TriageTraceQL.Of(attribute));
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("highCardinalityKeys");
        foreach (var key in result.HighCardinalityKeys)
        {
            writer.WriteStartObject();
            writer.WriteString("scope", ScopeName(key.Scope));
            writer.WriteString("key", key.Key);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteBoolean("truncated", answer.Truncated);
        writer.WriteNumber("spansExamined", answer.SpansExamined);
        writer.WriteEndObject();
    }

    private static void WritePopulation(Utf8JsonWriter writer, string name, string description, long spanCount)
    {
        writer.WriteStartObject(name);
        writer.WriteString("description", description);
        writer.WriteNumber("spanCount", spanCount);
        writer.WriteEndObject();
    }

    private static string ScopeName(TriageScope scope) => scope switch
    {
        TriageScope.Resource => "resource",
        TriageScope.Intrinsic => "intrinsic",
        _ => "span",
    };

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null) writer.WriteNull(name);
        else writer.WriteString(name, value);
    }

    private static void WriteNanos(Utf8JsonWriter writer, string name, ulong? value)
    {
        if (value is { } nanos) writer.WriteNumber(name, nanos);
        else writer.WriteNull(name);
    }

    // As /api/v1/traceql answers a syntax error: the message, the parameter, and where in it.
    private static Task SyntaxErrorAsync(HttpContext context, TraceQLSyntaxException ex) =>
        ApiResponses.JsonAsync(context.Response, StatusCodes.Status400BadRequest, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("error", "Parameter 'selection' is not valid TraceQL: " + ex.Message);
            writer.WriteString("parameter", "selection");
            writer.WriteNumber("line", ex.Line);
            writer.WriteNumber("column", ex.Column);
            writer.WriteString("expected", ex.Expected);
            writer.WriteEndObject();
        }, context.RequestAborted);

    private static Task SelectionErrorAsync(HttpContext context, TraceQLQueryException ex) =>
        ApiResponses.ErrorAsync(context.Response, StatusCodes.Status400BadRequest,
            new ApiError("selection", "Parameter 'selection' cannot run: " + ex.Message), context.RequestAborted);

    private ulong Now() => (ulong)(_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
}
