using System.Globalization;
using Threadline.Storage.ClickHouse.Sql;

namespace Threadline.Storage.ClickHouse.Reads;

/// <summary>
/// A search's span-level filters as SQL over the spans table: a superset of the spans
/// <see cref="SpanFilter"/> accepts, which the engine then applies exactly. Time and service
/// come first, as the table is ordered by (service, start).
/// </summary>
internal static class SearchSql
{
    public static string Where(TraceQuery query)
    {
        var parts = new List<string>();
        if (query.ServiceName is { } service && Fits(service)) parts.Add($"service_name = {SqlLiteral.String(service)}");
        if (query.StartTimeUnixNano > 0) parts.Add($"start_ns >= {SqlLiteral.UInt(query.StartTimeUnixNano)}");
        if (query.EndTimeUnixNano > 0) parts.Add($"start_ns <= {SqlLiteral.UInt(query.EndTimeUnixNano)}");
        if (query.SpanName is { } name && Fits(name)) parts.Add($"name = {SqlLiteral.String(name)}");
        if (query.Kind is { } kind) parts.Add($"kind = {(int)kind}");
        if (query.Status is { } status) parts.Add($"status_code = {(int)status}");
        if (query.MinDurationNanos is { } min) parts.Add($"duration_ns >= {SqlLiteral.UInt(min)}");
        if (query.MaxDurationNanos is { } max) parts.Add($"duration_ns <= {SqlLiteral.UInt(max)}");
        foreach (var (key, text) in query.Attributes)
        {
            if (Fits(key) && Fits(text)) parts.Add("(" + HasText("span", key, text) + " OR " + HasText("res", key, text) + ")");
        }
        return parts.Count == 0 ? "1" : string.Join(" AND ", parts);
    }

    // The attribute's text form equals the given text: strings compare as they are; an integer
    // or bool only when the text is one; doubles, arrays and the rest are left to the exact pass.
    private static string HasText(string prefix, string key, string text)
    {
        var k = SqlLiteral.String(key);
        var tests = new List<string>
        {
            $"arrayExists((k, v) -> k = {k} AND v = {SqlLiteral.String(text)}, {prefix}_str_keys, {prefix}_str_values)",
            $"has({prefix}_dbl_keys, {k})",
            $"has({prefix}_other_keys, {k})",
        };
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            && number.ToString(CultureInfo.InvariantCulture) == text)
        {
            tests.Add($"arrayExists((k, v) -> k = {k} AND v = {SqlLiteral.Int(number)}, {prefix}_int_keys, {prefix}_int_values)");
        }
        if (text is "true" or "false")
            tests.Add($"arrayExists((k, v) -> k = {k} AND v = {(text == "true" ? 1 : 0)}, {prefix}_bool_keys, {prefix}_bool_values)");
        return "(" + string.Join(" OR ", tests) + ")";
    }

    private static bool Fits(string value) => SqlLiteral.Fits(value);
}
