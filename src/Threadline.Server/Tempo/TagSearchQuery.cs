using System.Globalization;
using System.Text;
using Threadline.Protocol.Tempo;

namespace Threadline.Server.Tempo;

/// <summary>
/// Turns a Tempo search without TraceQL (Grafana's older search form, other clients: tags in
/// logfmt, minDuration, maxDuration) into the TraceQL that asks the same question, as Tempo's own
/// tag search answers it: each tag is its own condition, met by any span of the trace (on the
/// span or its resource), and the durations bound the whole trace. Every name and value is
/// quoted, so nothing a user typed becomes TraceQL syntax.
/// </summary>
internal static class TagSearchQuery
{
    /// <summary>The TraceQL for <paramref name="request"/>'s tags and durations; <c>{ }</c> when it has none.</summary>
    /// <exception cref="TempoRequestException">A tag Tempo gives a meaning to has a value it cannot have (status.code=maybe).</exception>
    public static string Build(TempoSearchRequest request)
    {
        var spansets = new List<string>();
        foreach (var (key, value) in request.Tags)
        {
            spansets.Add("{ " + Condition(key, value) + " }");
        }
        var durations = new List<string>();
        if (request.MinDurationMs > 0) durations.Add($"trace:duration >= {request.MinDurationMs.ToString(CultureInfo.InvariantCulture)}ms");
        if (request.MaxDurationMs > 0) durations.Add($"trace:duration <= {request.MaxDurationMs.ToString(CultureInfo.InvariantCulture)}ms");
        if (durations.Count > 0) spansets.Add("{ " + string.Join(" && ", durations) + " }");
        return spansets.Count == 0 ? "{ }" : string.Join(" && ", spansets);
    }

    // The well-known names of Tempo's tag search, then any attribute on the span or its resource.
    private static string Condition(string key, string value) => key switch
    {
        "name" => "name = " + Quote(value),
        "service.name" => "resource.service.name = " + Quote(value),
        "root.service.name" => "trace:rootService = " + Quote(value),
        "root.name" => "trace:rootName = " + Quote(value),
        "status.code" => "status = " + Status(value),
        "http.status_code" when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code) =>
            "span.http.status_code = " + code.ToString(CultureInfo.InvariantCulture),
        _ => $"(span.{QuoteName(key)} = {Quote(value)} || resource.{QuoteName(key)} = {Quote(value)})",
    };

    private static string Status(string value) => value.ToLowerInvariant() switch
    {
        "error" or "status_code_error" => "error",
        "ok" or "status_code_ok" => "ok",
        "unset" or "status_code_unset" => "unset",
        _ => throw new TempoRequestException($"invalid tags: status.code must be error, ok or unset (or STATUS_CODE_ERROR, STATUS_CODE_OK, STATUS_CODE_UNSET), got '{value}'"),
    };

    /// <summary>An attribute name as TraceQL's quoted form: <c>"a b"</c>.</summary>
    internal static string QuoteName(string name) => Quote(name);

    /// <summary>A TraceQL string literal holding exactly <paramref name="text"/>: quotes, backslashes and control characters escaped.</summary>
    internal static string Quote(string text)
    {
        var builder = new StringBuilder(text.Length + 2).Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (char.IsControl(c)) builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    else builder.Append(c);
                    break;
            }
        }
        return builder.Append('"').ToString();
    }
}
