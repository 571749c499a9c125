using System.Globalization;
using System.Text;

namespace Threadline.Server.Metrics;

/// <summary>
/// Writes metrics in the Prometheus text exposition format, version 0.0.4: a <c># HELP</c> and
/// <c># TYPE</c> line per metric, counters named with <c>_total</c>, histograms as cumulative
/// <c>_bucket{le=...}</c> series with <c>_sum</c> and <c>_count</c>, label values escaped.
/// </summary>
internal static class PrometheusTextFormat
{
    /// <summary>The Content-Type of the format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(IEnumerable<MetricSnapshot> metrics)
    {
        var text = new StringBuilder();
        foreach (var metric in metrics) Write(text, metric);
        return text.ToString();
    }

    private static void Write(StringBuilder text, MetricSnapshot metric)
    {
        var name = SanitizeName(metric.Name);
        if (metric.Kind == MetricKind.Counter && !name.EndsWith("_total", StringComparison.Ordinal)) name += "_total";
        var type = metric.Kind switch
        {
            MetricKind.Counter => "counter",
            MetricKind.Histogram => "histogram",
            _ => "gauge",
        };
        if (!string.IsNullOrEmpty(metric.Description))
            text.Append("# HELP ").Append(name).Append(' ').Append(EscapeHelp(metric.Description)).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

        foreach (var point in metric.Points)
        {
            if (metric.Kind != MetricKind.Histogram)
            {
                Sample(text, name, point.Labels, extra: null, point.Value);
                continue;
            }
            long cumulative = 0;
            for (var i = 0; i < point.Bounds!.Count; i++)
            {
                cumulative += point.BucketCounts![i];
                Sample(text, name + "_bucket", point.Labels, ("le", FormatNumber(point.Bounds[i])), cumulative);
            }
            Sample(text, name + "_bucket", point.Labels, ("le", "+Inf"), point.Count);
            Sample(text, name + "_sum", point.Labels, extra: null, point.Value);
            Sample(text, name + "_count", point.Labels, extra: null, point.Count);
        }
    }

    private static void Sample(StringBuilder text, string name, IReadOnlyList<KeyValuePair<string, string>> labels, (string Key, string Value)? extra, double value)
    {
        text.Append(name);
        if (labels.Count > 0 || extra is not null)
        {
            text.Append('{');
            var first = true;
            foreach (var (key, labelValue) in labels) Label(key, labelValue);
            if (extra is { } le) Label(le.Key, le.Value);
            text.Append('}');

            void Label(string key, string labelValue)
            {
                if (!first) text.Append(',');
                first = false;
                text.Append(SanitizeName(key)).Append("=\"").Append(EscapeLabelValue(labelValue)).Append('"');
            }
        }
        text.Append(' ').Append(FormatNumber(value)).Append('\n');
    }

    /// <summary>A value as Prometheus reads it: shortest round-trip form, <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.</summary>
    public static string FormatNumber(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>Label values escape backslash, double quote and line feed.</summary>
    public static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Help text escapes backslash and line feed.</summary>
    private static string EscapeHelp(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Metric and label names allow <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>; anything else becomes an underscore.</summary>
    public static string SanitizeName(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            var valid = char.IsAsciiLetter(c) || c is '_' or ':' || (i > 0 && char.IsAsciiDigit(c));
            if (!valid) chars[i] = '_';
        }
        return new string(chars);
    }
}
