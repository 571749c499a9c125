using System.Globalization;
using Microsoft.AspNetCore.Http;
using Threadline.Protocol.Tempo;
using Threadline.Query.Parameters;
using Threadline.Server.Tempo;

namespace Threadline.Server.Api.Tempo;

/// <summary>
/// Reads the query strings of Tempo's HTTP API, with Tempo's parameter names, defaults and
/// units (<c>pkg/api/http.go</c>): search and tag times in Unix seconds, metrics times in seconds,
/// nanoseconds or RFC 3339. A bad value is a <see cref="TempoRequestException"/> naming it.
/// </summary>
internal static class TempoHttpParameters
{
    /// <summary>Metrics queries without a start look back this far from their end, as in Tempo.</summary>
    public static readonly TimeSpan DefaultSince = TimeSpan.FromHours(1);

    public static TempoSearchRequest Search(IQueryCollection query)
    {
        var q = Get(query, "q");
        var tags = Get(query, "tags");
        if (q is not null && tags is not null)
            throw new TempoRequestException("invalid request: can't specify tags and q in the same query");

        IReadOnlyList<KeyValuePair<string, string>> parsedTags = [];
        if (tags is not null && !LogfmtTags.TryParse(tags, out parsedTags, out var tagsError))
            throw new TempoRequestException("invalid tags: " + tagsError);

        return new TempoSearchRequest
        {
            Query = q ?? string.Empty,
            Tags = parsedTags,
            StartSeconds = Seconds(query, "start"),
            EndSeconds = Seconds(query, "end"),
            MinDurationMs = DurationMs(query, "minDuration"),
            MaxDurationMs = DurationMs(query, "maxDuration"),
            Limit = Positive(query, "limit"),
            SpansPerSpanSet = Positive(query, "spss"),
        };
    }

    public static TempoSearchTagsRequest Tags(IQueryCollection query) => new()
    {
        Scope = Get(query, "scope") ?? string.Empty,
        Query = Get(query, "q") ?? string.Empty,
        StartSeconds = Seconds(query, "start"),
        EndSeconds = Seconds(query, "end"),
    };

    public static TempoSearchTagValuesRequest TagValues(HttpContext context) => new()
    {
        TagName = context.Request.RouteValues["tagName"] as string ?? string.Empty,
        Query = Get(context.Request.Query, "q") ?? string.Empty,
        StartSeconds = Seconds(context.Request.Query, "start"),
        EndSeconds = Seconds(context.Request.Query, "end"),
        MaxTagValues = Positive(context.Request.Query, "limit"),
    };

    /// <summary>
    /// <c>q</c> (or Prometheus-style <c>query</c>), <c>start</c>/<c>end</c> (default: the hour, or
    /// <c>since</c>, before now), <c>step</c> (seconds or a duration; default: the engine's pick),
    /// <c>exemplars</c>.
    /// </summary>
    public static TempoQueryRangeRequest Metrics(IQueryCollection query, DateTimeOffset now)
    {
        var text = Get(query, "q") ?? Get(query, "query") ?? string.Empty;
        var nowNanos = (ulong)(now - DateTimeOffset.UnixEpoch).Ticks * 100;
        var end = Timestamp(query, "end") ?? nowNanos;
        var since = DefaultSince;
        if (Get(query, "since") is { } sinceText)
        {
            if (!DurationParser.TryParse("since", sinceText, out var sinceNanos, out var error)) throw new TempoRequestException(error.Message);
            since = TimeSpan.FromTicks((long)(sinceNanos / 100));
        }
        var sinceBase = Math.Min(end, nowNanos);
        var sinceStart = (ulong)since.Ticks * 100 > sinceBase ? 0 : sinceBase - (ulong)since.Ticks * 100;
        var start = Timestamp(query, "start") ?? sinceStart;
        return new TempoQueryRangeRequest
        {
            Query = text,
            StartUnixNano = start,
            EndUnixNano = end,
            StepNanos = Step(query),
            Exemplars = Get(query, "exemplars") is { } exemplars ? UInt(exemplars, "exemplars") : 0,
        };
    }

    private static string? Get(IQueryCollection query, string name)
    {
        // Tempo's parameter names are case-sensitive, and the first value counts.
        if (!query.Keys.Contains(name, StringComparer.Ordinal)) return null;
        var value = query[name].FirstOrDefault();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static uint Seconds(IQueryCollection query, string name)
    {
        if (Get(query, name) is not { } text) return 0;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds) || seconds < 0)
            throw new TempoRequestException($"invalid {name}: '{ParameterError.Echo(text)}' is not Unix seconds (a whole number from 0 to {int.MaxValue})");
        return (uint)seconds;
    }

    private static uint DurationMs(IQueryCollection query, string name)
    {
        if (Get(query, name) is not { } text) return 0;
        if (!DurationParser.TryParse(name, text, out var nanos, out var error)) throw new TempoRequestException($"invalid {name}: {error.Message}");
        return (uint)Math.Min(nanos / 1_000_000, uint.MaxValue);
    }

    private static uint Positive(IQueryCollection query, string name)
    {
        if (Get(query, name) is not { } text) return 0;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            throw new TempoRequestException($"invalid {name}: '{ParameterError.Echo(text)}' is not a whole number");
        if (value <= 0) throw new TempoRequestException($"invalid {name}: must be a positive number");
        return (uint)value;
    }

    private static uint UInt(string text, string name) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new TempoRequestException($"invalid {name}: '{ParameterError.Echo(text)}' is not a whole number from 0 to {uint.MaxValue}");

    // As Tempo reads them: up to 10 digits are Unix seconds, more are nanoseconds; a decimal point
    // means fractional seconds; otherwise RFC 3339.
    private static ulong? Timestamp(IQueryCollection query, string name)
    {
        if (Get(query, name) is not { } text) return null;
        if (text.Contains('.', StringComparison.Ordinal)
            && decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            && seconds < ulong.MaxValue / 1_000_000_000UL)
            return (ulong)(seconds * 1_000_000_000m);
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            if (text.Length > 10) return number;
            return number * 1_000_000_000UL;
        }
        if (TimestampParser.TryParse(name, text, out var nanos, out _)) return nanos;
        throw new TempoRequestException($"could not parse '{name}' parameter: '{ParameterError.Echo(text)}' is neither Unix seconds, Unix nanoseconds nor an RFC 3339 time");
    }

    // Seconds (possibly fractional) or a duration such as 30s or 1m.
    private static ulong Step(IQueryCollection query)
    {
        if (Get(query, "step") is not { } text) return 0;
        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            if (seconds > DurationParser.MaxNanos / 1_000_000_000m) throw new TempoRequestException($"cannot parse \"{ParameterError.Echo(text)}\" to a valid duration. It overflows int64");
            return (ulong)(seconds * 1_000_000_000m);
        }
        if (DurationParser.TryParse("step", text, out var nanos, out _)) return nanos;
        throw new TempoRequestException($"cannot parse \"{ParameterError.Echo(text)}\" to a valid duration (give seconds, or a duration such as 30s or 1m)");
    }
}
