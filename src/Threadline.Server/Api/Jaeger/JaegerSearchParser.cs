using System.Diagnostics.CodeAnalysis;
using Threadline.Core.Model;
using Threadline.Protocol.Jaeger;
using Threadline.Query.Parameters;
using Threadline.Storage;

namespace Threadline.Server.Api.Jaeger;

/// <summary>What a Jaeger v1 <c>GET /api/traces</c> asks for: a search, or (with <c>traceID</c>) these traces.</summary>
internal sealed record JaegerTraceSearch(TraceQuery Query, IReadOnlyList<TraceId> TraceIds);

/// <summary>
/// Reads the parameters of Jaeger's v1 trace search as the Jaeger UI sends them: <c>service</c>,
/// <c>operation</c>, <c>tags</c> (a JSON map) and <c>tag</c> (<c>key:value</c>, repeatable),
/// <c>minDuration</c>/<c>maxDuration</c> (Go durations), <c>start</c>/<c>end</c> (Unix µs),
/// <c>lookback</c> (used only without <c>start</c>), <c>limit</c>, and repeatable <c>traceID</c>.
/// Other parameters are ignored, as Jaeger ignores them (the UI sends a few only for itself).
/// </summary>
internal static class JaegerSearchParser
{
    /// <summary>Jaeger's default number of traces.</summary>
    public const int DefaultLimit = 100;

    /// <summary>
    /// Most traces one answer holds: whole traces are sent, so the bound is the Jaeger UI's own
    /// largest search (1500) rather than the summary search's.
    /// </summary>
    public const int MaxTraces = 1_500;

    /// <summary>The window searched when neither <c>start</c> nor a usable <c>lookback</c> is given.</summary>
    public static readonly TimeSpan DefaultLookback = TimeSpan.FromDays(2);

    public static bool TryParse(IQueryParameters parameters, DateTimeOffset now, [NotNullWhen(true)] out JaegerTraceSearch? search, out ParameterError error)
    {
        search = null;
        if (!Single(parameters, "service", out var service, out error)
            || !Single(parameters, "operation", out var operation, out error)
            || !Single(parameters, "start", out var startText, out error)
            || !Single(parameters, "end", out var endText, out error)
            || !Single(parameters, "lookback", out var lookbackText, out error)
            || !Single(parameters, "limit", out var limitText, out error)
            || !Single(parameters, "minDuration", out var minText, out error)
            || !Single(parameters, "maxDuration", out var maxText, out error))
            return false;

        var nowNanos = JaegerTime.UnixNanos(now);
        var end = nowNanos;
        if (endText is not null && !JaegerTime.TryParseMicros("end", endText, out end, out error)) return false;
        ulong start;
        if (startText is not null)
        {
            if (!JaegerTime.TryParseMicros("start", startText, out start, out error)) return false;
        }
        else
        {
            if (!JaegerTime.TryParseLookback("lookback", lookbackText, DefaultLookback, out var lookback, out error)) return false;
            start = end > lookback ? end - lookback : 0;
        }
        if (start > end) return Fail(out error, "start", "is after end; give a start no later than the end");

        var limit = DefaultLimit;
        if (limitText is not null && !LimitParser.TryParse("limit", limitText, 1, MaxTraces, DefaultLimit, out limit, out error)) return false;

        ulong? minDuration = null, maxDuration = null;
        if (minText is not null)
        {
            if (!DurationParser.TryParse("minDuration", minText, out var min, out error)) return false;
            minDuration = min;
        }
        if (maxText is not null)
        {
            if (!DurationParser.TryParse("maxDuration", maxText, out var max, out error)) return false;
            maxDuration = max;
        }
        if (minDuration > maxDuration) return Fail(out error, "maxDuration", "is less than minDuration; give a maximum no less than the minimum");

        var query = new TraceQuery
        {
            ServiceName = service,
            SpanName = operation,
            StartTimeUnixNano = start,
            EndTimeUnixNano = end,
            MinDurationNanos = minDuration,
            MaxDurationNanos = maxDuration,
            Limit = limit,
        };
        if (!JaegerTagFilter.TryApply(parameters.Values("tag"), parameters.Values("tags"), ref query, out error)) return false;

        var traceIds = new List<TraceId>();
        var idTexts = parameters.Values("traceID");
        if (idTexts.Count > MaxTraces)
            return Fail(out error, "traceID", $"is given {idTexts.Count} times; ask for at most {MaxTraces} traces at once");
        foreach (var text in idTexts)
        {
            if (!JaegerIds.TryParseTraceId(text.Trim(), out var traceId))
                return Fail(out error, "traceID", $"is '{ParameterError.Echo(text)}'; give 1 to 32 hex digits (or the id in base64), not all zero");
            if (!traceIds.Contains(traceId)) traceIds.Add(traceId);
        }

        search = new JaegerTraceSearch(query, traceIds);
        return true;
    }

    private static bool Single(IQueryParameters parameters, string name, out string? value, out ParameterError error) =>
        SingleValue.TryGet(parameters, name, out value, out error);

    private static bool Fail(out ParameterError error, string parameter, string problem)
    {
        error = ParameterError.Create(parameter, problem);
        return false;
    }
}
