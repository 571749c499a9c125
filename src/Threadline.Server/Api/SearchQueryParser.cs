using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Threadline.Storage;

namespace Threadline.Server.Api;

/// <summary>
/// Turns the query string of <c>GET /api/v1/search</c> into a <see cref="TraceQuery"/>, refusing
/// anything it does not understand (including unknown parameters, which are usually typos)
/// with a message naming the parameter.
/// </summary>
internal static class SearchQueryParser
{
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "service", "name", "kind", "status", "minDuration", "maxDuration", "start", "end", "limit", "attr", "tags",
    };

    // Parameters that may be given more than once; every other one must be given at most once.
    private static readonly HashSet<string> Repeatable = new(StringComparer.Ordinal) { "attr" };

    public static bool TryParse(IQueryCollection parameters, [NotNullWhen(true)] out TraceQuery? query, out ApiError error)
    {
        query = null;
        error = default;
        foreach (var (name, values) in parameters)
        {
            if (!Known.Contains(name))
            {
                error = new(name, $"Unknown parameter '{name}'; known parameters are {string.Join(", ", Known)}.");
                return false;
            }
            if (values.Count > 1 && !Repeatable.Contains(name))
            {
                error = ApiError.ForParameter(name, $"is given {values.Count} times; give it once");
                return false;
            }
        }

        var result = new TraceQuery
        {
            ServiceName = Single(parameters, "service"),
            SpanName = Single(parameters, "name"),
        };

        if (Single(parameters, "kind") is { } kindText)
        {
            if (!SpanEnumNames.TryParseKind(kindText, out var kind))
                return Fail(out error, "kind", $"is '{kindText}'; use {SpanEnumNames.KindChoices}");
            result = result with { Kind = kind };
        }
        if (Single(parameters, "status") is { } statusText)
        {
            if (!SpanEnumNames.TryParseStatus(statusText, out var status))
                return Fail(out error, "status", $"is '{statusText}'; use {SpanEnumNames.StatusChoices}");
            result = result with { Status = status };
        }

        if (!TryDuration(parameters, "minDuration", out var minDuration, out error)) return false;
        if (!TryDuration(parameters, "maxDuration", out var maxDuration, out error)) return false;
        if (minDuration > maxDuration)
            return Fail(out error, "minDuration", "is greater than maxDuration");
        result = result with { MinDurationNanos = minDuration, MaxDurationNanos = maxDuration };

        if (!TryTimestamp(parameters, "start", out var start, out error)) return false;
        if (!TryTimestamp(parameters, "end", out var end, out error)) return false;
        if (start is not null && end is not null && start > end)
            return Fail(out error, "start", "is after end");
        result = result with { StartTimeUnixNano = start ?? 0, EndTimeUnixNano = end ?? 0 };

        if (Single(parameters, "limit") is { } limitText)
        {
            if (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit is < 1 or > TraceQuery.MaxLimit)
                return Fail(out error, "limit", $"is '{limitText}'; give a whole number from 1 to {TraceQuery.MaxLimit} (default {TraceQuery.DefaultLimit})");
            result = result with { Limit = limit };
        }

        var attributes = new List<KeyValuePair<string, string>>();
        foreach (var attr in parameters["attr"])
        {
            var separator = attr?.IndexOf('=', StringComparison.Ordinal) ?? -1;
            if (separator <= 0)
                return Fail(out error, "attr", $"is '{attr}'; write it as key=value, e.g. attr=http.route=/cart");
            attributes.Add(new(attr![..separator], attr[(separator + 1)..]));
        }
        if (Single(parameters, "tags") is { } tagsJson && !TryTags(tagsJson, attributes, out error))
            return false;
        result = result with { Attributes = attributes };

        query = result;
        return true;
    }

    // An empty value counts as not given, as forms and the Jaeger UI send empty fields.
    private static string? Single(IQueryCollection parameters, string name)
    {
        var value = parameters[name].ToString();
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    private static bool TryDuration(IQueryCollection parameters, string name, out ulong? nanos, out ApiError error)
    {
        nanos = null;
        error = default;
        if (Single(parameters, name) is not { } text) return true;
        if (!DurationParser.TryParse(text, out var value, out var problem))
        {
            error = ApiError.ForParameter(name, problem);
            return false;
        }
        nanos = value;
        return true;
    }

    private static bool TryTimestamp(IQueryCollection parameters, string name, out ulong? unixNanos, out ApiError error)
    {
        unixNanos = null;
        error = default;
        if (Single(parameters, name) is not { } text) return true;
        if (!TimestampParser.TryParse(text, out var value, out var problem))
        {
            error = ApiError.ForParameter(name, problem);
            return false;
        }
        unixNanos = value;
        return true;
    }

    // Jaeger's tags={"key":"value"}: a JSON object of string (or number, or bool) values.
    private static bool TryTags(string json, List<KeyValuePair<string, string>> attributes, out ApiError error)
    {
        error = default;
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
                    return Fail(out error, "tags", $"has a {value.ValueKind} value for '{property.Name}'; values must be strings, numbers or booleans");
                attributes.Add(new(property.Name, text));
            }
            return true;
        }
        catch (JsonException ex)
        {
            return Fail(out error, "tags", $"is not valid JSON ({ex.Message})");
        }
    }

    private static bool Fail(out ApiError error, string parameter, string problem)
    {
        error = ApiError.ForParameter(parameter, problem);
        return false;
    }
}
