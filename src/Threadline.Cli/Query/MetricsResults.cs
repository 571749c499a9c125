using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Threadline.Cli.Query;

/// <summary>One series of a TraceQL metrics query: its labels as <c>{name="value", …}</c> and its samples, oldest first.</summary>
internal sealed record MetricsSeries(string Labels, IReadOnlyList<(long TimestampMs, double Value)> Samples);

/// <summary>A TraceQL metrics query's answer.</summary>
internal sealed record MetricsResults(IReadOnlyList<MetricsSeries> Series)
{
    /// <summary>
    /// Reads Tempo's <c>/api/metrics/query_range</c> JSON (which <c>/api/v1/traceql/metrics</c>
    /// answers): <c>series[]</c> with <c>labels</c> (OTLP key-values) and <c>samples[]</c> of
    /// <c>timestampMs</c> (a string) and <c>value</c>. A series without labels is the whole result.
    /// </summary>
    /// <exception cref="FormatException">The text is not that JSON.</exception>
    public static MetricsResults Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var series = new List<MetricsSeries>();
            if (document.RootElement.TryGetProperty("series", out var list))
            {
                foreach (var item in list.EnumerateArray())
                {
                    var samples = new List<(long, double)>();
                    if (item.TryGetProperty("samples", out var points))
                    {
                        foreach (var point in points.EnumerateArray())
                            samples.Add((SearchResults.Int64(point, "timestampMs"), Value(point)));
                    }
                    samples.Sort((a, b) => a.Item1.CompareTo(b.Item1));
                    series.Add(new MetricsSeries(Labels(item), samples));
                }
            }
            return new MetricsResults(series);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new FormatException($"The server's metrics answer is not the expected JSON: {ex.Message}", ex);
        }
    }

    private static double Value(JsonElement point)
    {
        if (!point.TryGetProperty("value", out var value)) return 0;
        // protobuf JSON writes NaN and the infinities as strings.
        return value.ValueKind == JsonValueKind.String
            ? double.Parse(value.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
            : value.GetDouble();
    }

    private static string Labels(JsonElement series)
    {
        if (!series.TryGetProperty("labels", out var labels) || labels.GetArrayLength() == 0) return "{}";
        var text = new StringBuilder("{");
        foreach (var label in labels.EnumerateArray())
        {
            if (text.Length > 1) text.Append(", ");
            text.Append(label.GetProperty("key").GetString()).Append('=').Append(LabelValue(label.GetProperty("value")));
        }
        return text.Append('}').ToString();
    }

    // An OTLP AnyValue: strings quoted, other scalars as written.
    private static string LabelValue(JsonElement value)
    {
        foreach (var property in value.EnumerateObject())
        {
            return property.Name == "stringValue"
                ? "\"" + property.Value.GetString() + "\""
                : property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
        }
        return "nil";
    }
}
