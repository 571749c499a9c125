using System.Globalization;
using System.Text.Json;

namespace Threadline.Cli.Query;

/// <summary>One trace of a TraceQL search, as the table shows it.</summary>
/// <param name="SpanCount">Spans in the trace; null until known (Tempo's <c>serviceStats</c>, or the trace itself).</param>
/// <param name="ErrorCount">Spans with status error; null until known.</param>
internal sealed record SearchHit(
    string TraceId,
    string RootServiceName,
    string RootSpanName,
    ulong StartUnixNano,
    ulong DurationMs,
    int Matched,
    int? SpanCount,
    int? ErrorCount);

/// <summary>A TraceQL search's answer: the traces and what the server inspected.</summary>
internal sealed record SearchResults(IReadOnlyList<SearchHit> Traces, long InspectedTraces, long InspectedSpans)
{
    /// <summary>
    /// Reads Tempo's <c>/api/search</c> JSON (which <c>/api/v1/traceql</c> answers): <c>traces[]</c> with
    /// <c>traceID</c>, <c>rootServiceName</c>, <c>rootTraceName</c>, <c>startTimeUnixNano</c> (a
    /// string), <c>durationMs</c>, <c>spanSets[].matched</c> and optionally <c>serviceStats</c>;
    /// <c>metrics.inspectedTraces</c>/<c>inspectedSpans</c>. Absent fields are zero, as in protobuf JSON.
    /// </summary>
    /// <exception cref="FormatException">The text is not that JSON.</exception>
    public static SearchResults Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var traces = new List<SearchHit>();
            if (root.TryGetProperty("traces", out var list))
            {
                foreach (var trace in list.EnumerateArray()) traces.Add(ReadTrace(trace));
            }
            long inspectedTraces = 0, inspectedSpans = 0;
            if (root.TryGetProperty("metrics", out var metrics))
            {
                inspectedTraces = Int64(metrics, "inspectedTraces");
                inspectedSpans = Int64(metrics, "inspectedSpans");
            }
            return new SearchResults(traces, inspectedTraces, inspectedSpans);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new FormatException($"The server's search answer is not the expected JSON: {ex.Message}", ex);
        }
    }

    private static SearchHit ReadTrace(JsonElement trace)
    {
        var matched = 0;
        if (trace.TryGetProperty("spanSets", out var spanSets))
        {
            foreach (var spanSet in spanSets.EnumerateArray()) matched += (int)Int64(spanSet, "matched");
        }
        else if (trace.TryGetProperty("spanSet", out var spanSet))
        {
            matched = (int)Int64(spanSet, "matched");
        }

        int? spanCount = null, errorCount = null;
        if (trace.TryGetProperty("serviceStats", out var stats))
        {
            spanCount = 0;
            errorCount = 0;
            foreach (var service in stats.EnumerateObject())
            {
                spanCount += (int)Int64(service.Value, "spanCount");
                errorCount += (int)Int64(service.Value, "errorCount");
            }
        }
        return new SearchHit(
            String(trace, "traceID"),
            String(trace, "rootServiceName"),
            String(trace, "rootTraceName"),
            (ulong)Int64(trace, "startTimeUnixNano"),
            (ulong)Int64(trace, "durationMs"),
            matched,
            spanCount,
            errorCount);
    }

    private static string String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;

    // protobuf JSON writes 64-bit integers as strings and smaller ones as numbers; either is read.
    internal static long Int64(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value)) return 0;
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.GetInt64(),
            JsonValueKind.String => long.Parse(value.GetString()!, NumberStyles.Integer, CultureInfo.InvariantCulture),
            _ => throw new FormatException($"'{name}' is {value.ValueKind}, not a number"),
        };
    }
}
