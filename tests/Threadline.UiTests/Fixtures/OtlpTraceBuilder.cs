using System.Text;
using System.Text.Json;

namespace Threadline.UiTests.Fixtures;

/// <summary>One span of a hand-built trace; times are offsets from the trace's start.</summary>
internal sealed record FixtureSpan(
    string Service,
    string SpanId,
    string? ParentSpanId,
    string Name,
    int Kind,
    TimeSpan Start,
    TimeSpan Duration)
{
    public const int KindInternal = 1, KindServer = 2, KindClient = 3, KindProducer = 4, KindConsumer = 5;

    public bool IsError { get; init; }
    public string? StatusMessage { get; init; }
    public IReadOnlyList<KeyValuePair<string, object>> Attributes { get; init; } = [];
    public IReadOnlyList<(string Name, TimeSpan At)> Events { get; init; } = [];
    public IReadOnlyList<(string TraceId, string SpanId)> Links { get; init; } = [];
}

/// <summary>
/// Writes hand-built traces as an OTLP/JSON export request, the body a real exporter would send to
/// <c>/v1/traces</c>, so the fixtures go through the same receiver, pipeline and store as production spans.
/// </summary>
internal static class OtlpTraceBuilder
{
    public static byte[] ExportRequest(IEnumerable<(string TraceId, DateTimeOffset Start, IReadOnlyList<FixtureSpan> Spans)> traces)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("resourceSpans");
            foreach (var (traceId, start, spans) in traces)
            {
                // One resource per service, as each service's SDK would export its own spans.
                foreach (var byService in spans.GroupBy(s => s.Service))
                {
                    json.WriteStartObject();
                    json.WriteStartObject("resource");
                    json.WriteStartArray("attributes");
                    WriteAttribute(json, "service.name", byService.Key);
                    json.WriteEndArray();
                    json.WriteEndObject();
                    json.WriteStartArray("scopeSpans");
                    json.WriteStartObject();
                    json.WriteStartObject("scope");
                    json.WriteString("name", "threadline.uitests");
                    json.WriteEndObject();
                    json.WriteStartArray("spans");
                    foreach (var span in byService) WriteSpan(json, traceId, start, span);
                    json.WriteEndArray();
                    json.WriteEndObject();
                    json.WriteEndArray();
                    json.WriteEndObject();
                }
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteSpan(Utf8JsonWriter json, string traceId, DateTimeOffset traceStart, FixtureSpan span)
    {
        json.WriteStartObject();
        json.WriteString("traceId", traceId);
        json.WriteString("spanId", span.SpanId);
        if (span.ParentSpanId is not null) json.WriteString("parentSpanId", span.ParentSpanId);
        json.WriteString("name", span.Name);
        json.WriteNumber("kind", span.Kind);
        var start = traceStart + span.Start;
        json.WriteString("startTimeUnixNano", UnixNanos(start));
        json.WriteString("endTimeUnixNano", UnixNanos(start + span.Duration));
        json.WriteStartArray("attributes");
        foreach (var (key, value) in span.Attributes) WriteAttribute(json, key, value);
        json.WriteEndArray();
        json.WriteStartArray("events");
        foreach (var (name, at) in span.Events)
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("timeUnixNano", UnixNanos(start + at));
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("links");
        foreach (var (linkedTrace, linkedSpan) in span.Links)
        {
            json.WriteStartObject();
            json.WriteString("traceId", linkedTrace);
            json.WriteString("spanId", linkedSpan);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartObject("status");
        json.WriteNumber("code", span.IsError ? 2 : 0);
        if (span.StatusMessage is not null) json.WriteString("message", span.StatusMessage);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteAttribute(Utf8JsonWriter json, string key, object value)
    {
        json.WriteStartObject();
        json.WriteString("key", key);
        json.WriteStartObject("value");
        switch (value)
        {
            case string text: json.WriteString("stringValue", text); break;
            // OTLP/JSON carries 64-bit integers as strings.
            case int or long: json.WriteString("intValue", Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture)); break;
            case bool flag: json.WriteBoolean("boolValue", flag); break;
            case double number: json.WriteNumber("doubleValue", number); break;
            default: throw new ArgumentException($"Attribute '{key}' has a value of type {value.GetType().Name}, which the fixtures do not write.", nameof(value));
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static string UnixNanos(DateTimeOffset time) =>
        ((time - DateTimeOffset.UnixEpoch).Ticks * 100L).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A deterministic lowercase hex id of <paramref name="bytes"/> bytes, distinct per <paramref name="seed"/>.</summary>
    public static string Id(int bytes, string seed)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(seed));
        return Convert.ToHexStringLower(hash.AsSpan(0, bytes));
    }
}
