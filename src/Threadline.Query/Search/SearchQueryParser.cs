using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Threadline.Query.Parameters;
using Threadline.Storage;

namespace Threadline.Query.Search;

/// <summary>
/// Turns the parameters of the native search (<c>GET /api/v1/search</c>, docs/api.md) into a
/// <see cref="TraceQuery"/>, refusing anything it does not understand (including unknown
/// parameters, which are usually typos) with an error naming the parameter.
/// </summary>
public static class SearchQueryParser
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "service", "name", "kind", "status", "minDuration", "maxDuration", "start", "end", "limit", "attr", "tags",
    };

    // Parameters that may be given more than once; every other one must be given at most once.
    private static readonly HashSet<string> Repeatable = new(StringComparer.Ordinal) { "attr" };

    public static bool TryParse(IQueryParameters parameters, [NotNullWhen(true)] out TraceQuery? query, out ParameterError error)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        query = null;
        error = default;
        foreach (var name in parameters.Names)
        {
            if (!Known.Contains(name))
            {
                var echoed = ParameterError.Echo(name);
                error = new(echoed, $"Unknown parameter '{echoed}'; known parameters are {string.Join(", ", Known)}.");
                return false;
            }
            if (!Repeatable.Contains(name) && !SingleValue.TryGet(parameters, name, out _, out error))
                return false;
        }

        var result = new TraceQuery
        {
            ServiceName = Single(parameters, "service"),
            SpanName = Single(parameters, "name"),
        };

        if (Single(parameters, "kind") is { } kindText)
        {
            if (!SpanEnumNames.TryParseKind(kindText, out var kind))
                return Fail(out error, "kind", $"is '{ParameterError.Echo(kindText)}'; use {SpanEnumNames.KindChoices}");
            result = result with { Kind = kind };
        }
        if (Single(parameters, "status") is { } statusText)
        {
            if (!SpanEnumNames.TryParseStatus(statusText, out var status))
                return Fail(out error, "status", $"is '{ParameterError.Echo(statusText)}'; use {SpanEnumNames.StatusChoices}");
            result = result with { Status = status };
        }

        if (!TryDuration(parameters, "minDuration", out var minDuration, out error)) return false;
        if (!TryDuration(parameters, "maxDuration", out var maxDuration, out error)) return false;
        if (minDuration > maxDuration)
            return Fail(out error, "minDuration", "is greater than maxDuration; give a minimum no greater than the maximum");
        result = result with { MinDurationNanos = minDuration, MaxDurationNanos = maxDuration };

        if (!TryTimestamp(parameters, "start", out var start, out error)) return false;
        if (!TryTimestamp(parameters, "end", out var end, out error)) return false;
        if (start > end)
            return Fail(out error, "start", "is after end; give a start no later than the end");
        result = result with { StartTimeUnixNano = start ?? 0, EndTimeUnixNano = end ?? 0 };

        if (Single(parameters, "limit") is { } limitText)
        {
            if (!LimitParser.TryParse("limit", limitText, 1, TraceSearchService.MaxSearchLimit, TraceSearchService.DefaultSearchLimit, out var limit, out error))
                return false;
            result = result with { Limit = limit };
        }

        var attributes = new List<KeyValuePair<string, string>>();
        foreach (var attr in parameters.Values("attr"))
        {
            if (string.IsNullOrWhiteSpace(attr)) continue;
            var separator = attr.IndexOf('=', StringComparison.Ordinal);
            if (separator <= 0)
                return Fail(out error, "attr", $"is '{ParameterError.Echo(attr)}'; write it as key=value, e.g. attr=http.route=/cart");
            attributes.Add(new(attr[..separator], attr[(separator + 1)..]));
        }
        if (Single(parameters, "tags") is { } tagsJson && !TryTags(tagsJson, attributes, out error))
            return false;
        result = result with { Attributes = attributes };

        query = result;
        return true;
    }

    // Repetition was refused up front, so only the value is left to read.
    private static string? Single(IQueryParameters parameters, string name)
    {
        SingleValue.TryGet(parameters, name, out var value, out _);
        return value;
    }

    private static bool TryDuration(IQueryParameters parameters, string name, out ulong? nanos, out ParameterError error)
    {
        nanos = null;
        error = default;
        if (Single(parameters, name) is not { } text) return true;
        if (!DurationParser.TryParse(name, text, out var value, out error)) return false;
        nanos = value;
        return true;
    }

    private static bool TryTimestamp(IQueryParameters parameters, string name, out ulong? unixNanos, out ParameterError error)
    {
        unixNanos = null;
        error = default;
        if (Single(parameters, name) is not { } text) return true;
        if (!TimestampParser.TryParse(name, text, out var value, out error)) return false;
        unixNanos = value;
        return true;
    }

    // Jaeger's tags={"key":"value"}: a JSON object of string (or number, or bool) values.
    private static bool TryTags(string json, List<KeyValuePair<string, string>> attributes, out ParameterError error)
    {
        error = default;
        // The JSON reader refuses text that is not valid UTF-16 with an ArgumentException, not
        // a JsonException; refuse it here with the same message as any other malformed JSON.
        if (!ParameterError.IsWellFormed(json))
            return Fail(out error, "tags", "is not valid JSON (it holds an unpaired surrogate character)");
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return Fail(out error, "tags", "must be a JSON object such as {\"http.status_code\":\"500\"}");
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var value = property.Value;
                string? text = value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString(),
                    JsonValueKind.Number => value.GetRawText(),
                    JsonValueKind.True => "true",
                    JsonValueKind.False => "false",
                    _ => null,
                };
                if (text is null)
                    return Fail(out error, "tags", $"has a {value.ValueKind} value for '{ParameterError.Echo(property.Name)}'; values must be strings, numbers or booleans");
                attributes.Add(new(property.Name, text));
            }
            return true;
        }
        catch (JsonException ex)
        {
            return Fail(out error, "tags", $"is not valid JSON ({ex.Message})");
        }
        catch (InvalidOperationException)
        {
            // The reader accepts an escaped lone surrogate (\ud800) and fails only when the
            // string is read; to a user that is as invalid as any other malformed JSON.
            return Fail(out error, "tags", "is not valid JSON (a string holds an unpaired surrogate escape such as \\ud800)");
        }
    }

    private static bool Fail(out ParameterError error, string parameter, string problem)
    {
        error = ParameterError.Create(parameter, problem);
        return false;
    }
}
