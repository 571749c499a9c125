using System.Diagnostics.CodeAnalysis;
using Threadline.Query.Parameters;
using Threadline.Query.TraceQL;
using Threadline.Query.TraceQL.Ast;
using Threadline.Query.TraceQL.Evaluation;

namespace Threadline.Query.Analysis;

/// <summary>
/// Turns the parameters of <c>GET /api/v1/triage</c> (docs/api.md) into a <see cref="TriageRequest"/>,
/// refusing anything else with an error naming the parameter: <c>selection</c> is <c>error</c>,
/// <c>slow:DURATION</c> or one TraceQL spanset filter.
/// </summary>
public static class TriageQueryParser
{
    public const string SlowPrefix = "slow:";

    private static readonly string[] Known = ["selection", "service", "operation", "baseline", "start", "end", "limit"];

    /// <exception cref="TraceQLSyntaxException">The selection is TraceQL that does not parse; it names line and column within the parameter.</exception>
    public static bool TryParse(IQueryParameters parameters, ulong nowUnixNano, TraceQLOptions traceQL,
        [NotNullWhen(true)] out TriageRequest? request, out ParameterError error)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(traceQL);
        request = null;
        if (!AnalysisTimeRange.TryCheckNames(parameters, Known, out error)) return false;

        SingleValue.TryGet(parameters, "selection", out var selectionText, out _);
        if (selectionText is null)
        {
            error = ParameterError.Create("selection", "is missing; give error, slow:DURATION (e.g. slow:500ms) or a TraceQL spanset filter such as { span.http.response.status_code >= 500 }");
            return false;
        }
        if (!TryParseSelection(selectionText, traceQL, out var selection, out error)) return false;

        SingleValue.TryGet(parameters, "baseline", out var baselineText, out _);
        var baseline = TriageBaseline.Rest;
        if (baselineText is not null)
        {
            if (baselineText == "previous") baseline = TriageBaseline.Previous;
            else if (baselineText != "rest")
            {
                error = ParameterError.Create("baseline", $"is '{ParameterError.Echo(baselineText)}'; use rest (the other spans, the default) or previous (the same selection just before start)");
                return false;
            }
        }

        if (!AnalysisTimeRange.TryParse(parameters, nowUnixNano, out var start, out var end, out error)) return false;

        var limit = TriageRequest.DefaultLimit;
        SingleValue.TryGet(parameters, "limit", out var limitText, out _);
        if (limitText is not null && !LimitParser.TryParse("limit", limitText, 1, TriageRequest.MaxLimit, TriageRequest.DefaultLimit, out limit, out error))
            return false;

        SingleValue.TryGet(parameters, "service", out var service, out _);
        SingleValue.TryGet(parameters, "operation", out var operation, out _);
        request = new TriageRequest
        {
            Selection = selection,
            Service = service,
            Operation = operation,
            Baseline = baseline,
            StartUnixNano = start,
            EndUnixNano = end,
            Limit = limit,
        };
        return true;
    }

    /// <exception cref="TraceQLSyntaxException">The text is TraceQL that does not parse.</exception>
    public static bool TryParseSelection(string text, TraceQLOptions traceQL, [NotNullWhen(true)] out TriageSelection? selection, out ParameterError error)
    {
        ArgumentNullException.ThrowIfNull(text);
        selection = null;
        error = default;
        if (text == "error")
        {
            selection = new TriageSelection.Errors();
            return true;
        }
        if (text.StartsWith(SlowPrefix, StringComparison.Ordinal))
        {
            if (!DurationParser.TryParse("selection", text[SlowPrefix.Length..], out var nanos, out error)) return false;
            if (nanos == 0)
            {
                error = ParameterError.Create("selection", "is slow:0, which selects every span; give a positive duration such as slow:500ms");
                return false;
            }
            selection = new TriageSelection.Slow(nanos);
            return true;
        }
        if (!text.StartsWith('{'))
        {
            error = ParameterError.Create("selection", $"is '{ParameterError.Echo(text)}'; give error, slow:DURATION (e.g. slow:500ms) or a TraceQL spanset filter such as {{ span.http.response.status_code >= 500 }}");
            return false;
        }

        var query = TraceQLParser.Parse(text, traceQL);
        // One filter, tested span by span on fetched attributes: structure and pipelines would
        // select spans by their relation to others, which a per-span comparison cannot count.
        if (query.Search is not SpansetFilter filter || !FetchableFields.Holds(filter.Condition))
        {
            error = ParameterError.Create("selection", "is a TraceQL query that is not one spanset filter; give a single { … } of span, resource and intrinsic fields, without pipelines, structural operators or parent. fields");
            return false;
        }
        new FieldEvaluator(traceQL.RegexTimeout).Prepare(filter);
        selection = new TriageSelection.Filter(text, filter);
        return true;
    }
}
