using System.Diagnostics.CodeAnalysis;
using Threadline.Query.Parameters;
using Threadline.Storage;

namespace Threadline.Server.Api.Jaeger;

/// <summary>
/// Reads Jaeger's v3 search parameters (<c>/api/v3/traces</c>, <c>/api/v3/trace-summaries</c>),
/// each under its current name or its older snake_case one, as Jaeger accepts both:
/// <c>query.serviceName</c>, <c>query.operationName</c>, <c>query.attributes</c> (a JSON map),
/// <c>query.startTimeMin</c>/<c>query.startTimeMax</c> (RFC 3339, required),
/// <c>query.durationMin</c>/<c>query.durationMax</c> (Go durations), <c>query.searchDepth</c>
/// (or <c>query.num_traces</c>; default 100) and <c>query.rawTraces</c>.
/// </summary>
internal static class JaegerV3SearchParser
{
    public const int DefaultSearchDepth = 100;

    /// <param name="maxSearchDepth">Most traces the caller will answer with.</param>
    public static bool TryParse(IQueryParameters parameters, int maxSearchDepth, [NotNullWhen(true)] out TraceQuery? query, out ParameterError error)
    {
        query = null;
        if (!Get(parameters, "query.serviceName", "query.service_name", out var service, out _, out error)
            || !Get(parameters, "query.operationName", "query.operation_name", out var operation, out _, out error)
            || !Get(parameters, "query.startTimeMin", "query.start_time_min", out var minText, out var minName, out error)
            || !Get(parameters, "query.startTimeMax", "query.start_time_max", out var maxText, out var maxName, out error)
            || !Get(parameters, "query.durationMin", "query.duration_min", out var durationMinText, out var durationMinName, out error)
            || !Get(parameters, "query.durationMax", "query.duration_max", out var durationMaxText, out var durationMaxName, out error)
            || !Get(parameters, "query.searchDepth", "query.search_depth", out var depthText, out var depthName, out error)
            || !Get(parameters, "query.rawTraces", "query.raw_traces", out var rawText, out var rawName, out error)
            || !SingleValue.TryGet(parameters, "query.attributes", out var attributesJson, out error)
            || !SingleValue.TryGet(parameters, "query.filter", out var filter, out error))
            return false;

        if (filter is not null)
            return Fail(out error, "query.filter", "is not supported here; filter with query.attributes, or use TraceQL at /api/v1/traceql");
        if (minText is null || maxText is null)
            return Fail(out error, minText is null ? "query.startTimeMin" : "query.startTimeMax", "is required; give both query.startTimeMin and query.startTimeMax as RFC 3339 times");
        if (!TimestampParser.TryParse(minName, minText, out var start, out error)) return false;
        if (!TimestampParser.TryParse(maxName, maxText, out var end, out error)) return false;
        if (start >= end) return Fail(out error, minName, "must be before query.startTimeMax");

        if (depthText is null)
        {
            // The oldest name of the search depth.
            if (!SingleValue.TryGet(parameters, "query.num_traces", out depthText, out error)) return false;
            depthName = "query.num_traces";
        }
        var depth = DefaultSearchDepth;
        if (depthText is not null && !LimitParser.TryParse(depthName, depthText, 1, maxSearchDepth, DefaultSearchDepth, out depth, out error)) return false;

        ulong? minDuration = null, maxDuration = null;
        if (durationMinText is not null)
        {
            if (!DurationParser.TryParse(durationMinName, durationMinText, out var value, out error)) return false;
            minDuration = value;
        }
        if (durationMaxText is not null)
        {
            if (!DurationParser.TryParse(durationMaxName, durationMaxText, out var value, out error)) return false;
            maxDuration = value;
        }
        if (minDuration > maxDuration) return Fail(out error, durationMaxName, "is less than query.durationMin; give a maximum no less than the minimum");
        if (rawText is not null && !bool.TryParse(rawText, out _)) return Fail(out error, rawName, $"is '{ParameterError.Echo(rawText)}'; give true or false");

        var result = new TraceQuery
        {
            ServiceName = service,
            SpanName = operation,
            StartTimeUnixNano = start,
            EndTimeUnixNano = end,
            MinDurationNanos = minDuration,
            MaxDurationNanos = maxDuration,
            Limit = depth,
        };
        if (attributesJson is not null)
        {
            var tags = new List<KeyValuePair<string, string>>();
            if (!JaegerTagFilter.TryReadMap("query.attributes", attributesJson, tags, out error)) return false;
            if (!JaegerTagFilter.TryApply(tags, ref result, out error, "query.attributes")) return false;
        }
        query = result;
        return true;
    }

    // The current name wins when both are given, as in Jaeger; the name read is returned for errors.
    private static bool Get(IQueryParameters parameters, string name, string deprecatedName, out string? value, out string usedName, out ParameterError error)
    {
        usedName = name;
        if (!SingleValue.TryGet(parameters, name, out value, out error)) return false;
        if (value is not null) return true;
        usedName = deprecatedName;
        return SingleValue.TryGet(parameters, deprecatedName, out value, out error);
    }

    private static bool Fail(out ParameterError error, string parameter, string problem)
    {
        error = ParameterError.Create(parameter, problem);
        return false;
    }
}
