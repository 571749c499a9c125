using System.Text.Json;
using Threadline.Core.Model;
using Threadline.Query.Parameters;
using Threadline.Storage;

namespace Threadline.Server.Api.Jaeger;

/// <summary>
/// Jaeger tag filters onto a <see cref="TraceQuery"/>. Jaeger shows a span's kind and status as
/// the tags <c>span.kind</c>, <c>error</c> and <c>otel.status_code</c>, so searching for those
/// (the UI's usual <c>error=true</c>) filters on the kind and status; any other tag is an
/// attribute of the span or its resource, compared as text.
/// </summary>
internal static class JaegerTagFilter
{
    /// <summary>Applies <c>tag=key:value</c> (repeatable) then <c>tags={"key":"value"}</c> (repeatable).</summary>
    public static bool TryApply(IReadOnlyList<string> simpleTags, IReadOnlyList<string> jsonTags, ref TraceQuery query, out ParameterError error)
    {
        error = default;
        var tags = new List<KeyValuePair<string, string>>();
        foreach (var tag in simpleTags)
        {
            if (string.IsNullOrWhiteSpace(tag)) continue;
            var colon = tag.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                error = ParameterError.Create("tag", $"is '{ParameterError.Echo(tag)}'; write it as key:value, e.g. tag=http.route:/cart");
                return false;
            }
            tags.Add(new(tag[..colon], tag[(colon + 1)..]));
        }
        foreach (var json in jsonTags)
        {
            if (string.IsNullOrWhiteSpace(json)) continue;
            if (!TryReadMap("tags", json, tags, out error)) return false;
        }
        return TryApply(tags, ref query, out error, "tags");
    }

    /// <summary>Applies already-read tags; <paramref name="parameter"/> names them in an error.</summary>
    public static bool TryApply(IEnumerable<KeyValuePair<string, string>> tags, ref TraceQuery query, out ParameterError error, string parameter)
    {
        error = default;
        var attributes = new List<KeyValuePair<string, string>>(query.Attributes);
        foreach (var (key, value) in tags)
        {
            switch (key)
            {
                case "span.kind":
                    if (!SpanEnumNames.TryParseKind(value, out var kind))
                    {
                        error = ParameterError.Create(parameter, $"has span.kind '{ParameterError.Echo(value)}'; use {SpanEnumNames.KindChoices}");
                        return false;
                    }
                    query = query with { Kind = kind };
                    break;
                case "error" when value is "true" or "false":
                    // error=false is every span that is not an error: Jaeger has no tag for it, so no filter.
                    if (value == "true") query = query with { Status = StatusCode.Error };
                    break;
                case "otel.status_code" when SpanEnumNames.TryParseStatus(value, out var status):
                    query = query with { Status = status };
                    break;
                default:
                    attributes.Add(new(key, value));
                    break;
            }
        }
        query = query with { Attributes = attributes };
        return true;
    }

    /// <summary>A JSON object of string values (numbers and booleans are taken as their text).</summary>
    public static bool TryReadMap(string parameter, string json, List<KeyValuePair<string, string>> into, out ParameterError error)
    {
        error = default;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = ParameterError.Create(parameter, "must be a JSON object such as {\"http.status_code\":\"500\"}");
                return false;
            }
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
                {
                    error = ParameterError.Create(parameter, $"has a {value.ValueKind} value for '{ParameterError.Echo(property.Name)}'; values must be strings");
                    return false;
                }
                into.Add(new(property.Name, text));
            }
            return true;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            // ArgumentException: text that is not valid UTF-16; InvalidOperationException: an
            // escaped lone surrogate, found only when the string is read. Malformed JSON to a user.
            error = ParameterError.Create(parameter, $"is not valid JSON ({ex.Message})");
            return false;
        }
    }
}
