using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Threadline.Core.Model;

namespace Threadline.Protocol.Jaeger;

/// <summary>
/// Typed Jaeger tags (<c>{"key","type","value"}</c>) from OTLP attributes and span fields, by the
/// OpenTelemetry-to-Jaeger mapping the Jaeger query service applies: scope name and version,
/// the span's attributes, then <c>span.kind</c>, <c>otel.status_code</c>, <c>error</c>,
/// <c>otel.status_description</c> and <c>w3c.tracestate</c>.
/// </summary>
internal static class JaegerTags
{
    // The largest integer a JavaScript number holds exactly; Jaeger sends larger ones as text.
    private const long MaxSafeInteger = (1L << 53) - 1;

    public const string ServiceNameKey = "service.name";
    public const string EventNameKey = "event";

    /// <summary>The tags of a span, in Jaeger's order.</summary>
    public static void WriteSpanTags(Utf8JsonWriter writer, Span span)
    {
        writer.WriteStartArray("tags");
        if (span.Scope.Name.Length > 0) WriteString(writer, "otel.scope.name", span.Scope.Name);
        if (span.Scope.Version.Length > 0) WriteString(writer, "otel.scope.version", span.Scope.Version);
        foreach (var attribute in span.Attributes) Write(writer, attribute.Key, attribute.Value);
        if (KindName(span.Kind) is { } kind) WriteString(writer, "span.kind", kind);
        switch (span.Status.Code)
        {
            case StatusCode.Ok:
                WriteString(writer, "otel.status_code", "OK");
                break;
            case StatusCode.Error:
                WriteString(writer, "otel.status_code", "ERROR");
                StartTag(writer, "error", "bool");
                writer.WriteBooleanValue(true);
                writer.WriteEndObject();
                break;
        }
        if (span.Status.Message.Length > 0) WriteString(writer, "otel.status_description", span.Status.Message);
        if (span.TraceState.Length > 0) WriteString(writer, "w3c.tracestate", span.TraceState);
        writer.WriteEndArray();
    }

    /// <summary>A resource's attributes as process tags: all but <c>service.name</c>, which is the process's name.</summary>
    public static void WriteProcessTags(Utf8JsonWriter writer, Resource resource)
    {
        writer.WriteStartArray("tags");
        foreach (var attribute in resource.Attributes)
        {
            if (attribute.Key != ServiceNameKey) Write(writer, attribute.Key, attribute.Value);
        }
        writer.WriteEndArray();
    }

    /// <summary>An event's fields: its name as <c>event</c> (unless an attribute has that key), then its attributes.</summary>
    public static void WriteLogFields(Utf8JsonWriter writer, SpanEvent spanEvent)
    {
        writer.WriteStartArray("fields");
        if (spanEvent.Name.Length > 0 && !Array.Exists(spanEvent.Attributes, a => a.Key == EventNameKey))
            WriteString(writer, EventNameKey, spanEvent.Name);
        foreach (var attribute in spanEvent.Attributes) Write(writer, attribute.Key, attribute.Value);
        writer.WriteEndArray();
    }

    /// <summary>Jaeger's lower-case span kind, or null for an unspecified kind (no tag).</summary>
    public static string? KindName(SpanKind kind) => kind switch
    {
        SpanKind.Internal => "internal",
        SpanKind.Server => "server",
        SpanKind.Client => "client",
        SpanKind.Producer => "producer",
        SpanKind.Consumer => "consumer",
        _ => null,
    };

    public static void Write(Utf8JsonWriter writer, string key, AttributeValue value)
    {
        switch (value.Type)
        {
            case AttributeType.String:
                WriteString(writer, key, value.AsString());
                break;
            case AttributeType.Bool:
                StartTag(writer, key, "bool");
                writer.WriteBooleanValue(value.AsBool());
                writer.WriteEndObject();
                break;
            case AttributeType.Int:
                var integer = value.AsInt();
                StartTag(writer, key, "int64");
                if (integer is > MaxSafeInteger or < -MaxSafeInteger) writer.WriteStringValue(integer.ToString(CultureInfo.InvariantCulture));
                else writer.WriteNumberValue(integer);
                writer.WriteEndObject();
                break;
            case AttributeType.Double:
                StartTag(writer, key, "float64");
                WriteDouble(writer, value.AsDouble());
                writer.WriteEndObject();
                break;
            case AttributeType.Bytes:
                StartTag(writer, key, "binary");
                writer.WriteBase64StringValue(value.AsBytes());
                writer.WriteEndObject();
                break;
            case AttributeType.Array:
            case AttributeType.KeyValueList:
                // As the OpenTelemetry-to-Jaeger mapping does: lists and maps become their JSON text.
                WriteString(writer, key, ToJsonText(value));
                break;
            default:
                WriteString(writer, key, string.Empty);
                break;
        }
    }

    private static void WriteString(Utf8JsonWriter writer, string key, string value)
    {
        StartTag(writer, key, "string");
        writer.WriteStringValue(value);
        writer.WriteEndObject();
    }

    // Opens the tag object up to its value; the caller writes the value and closes it.
    private static void StartTag(Utf8JsonWriter writer, string key, string type)
    {
        writer.WriteStartObject();
        writer.WriteString("key", key);
        writer.WriteString("type", type);
        writer.WritePropertyName("value");
    }

    // JSON has no NaN or infinity; their text keeps the value visible instead of failing the trace.
    private static void WriteDouble(Utf8JsonWriter writer, double number)
    {
        if (double.IsFinite(number)) writer.WriteNumberValue(number);
        else writer.WriteStringValue(number.ToString(CultureInfo.InvariantCulture));
    }

    private static string ToJsonText(AttributeValue value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WritePlain(json, value);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WritePlain(Utf8JsonWriter json, AttributeValue value)
    {
        switch (value.Type)
        {
            case AttributeType.String: json.WriteStringValue(value.AsString()); break;
            case AttributeType.Bool: json.WriteBooleanValue(value.AsBool()); break;
            case AttributeType.Int: json.WriteNumberValue(value.AsInt()); break;
            case AttributeType.Double: WriteDouble(json, value.AsDouble()); break;
            case AttributeType.Bytes: json.WriteBase64StringValue(value.AsBytes()); break;
            case AttributeType.Array:
                json.WriteStartArray();
                foreach (var item in value.AsArray()) WritePlain(json, item);
                json.WriteEndArray();
                break;
            case AttributeType.KeyValueList:
                json.WriteStartObject();
                foreach (var entry in value.AsKeyValueList())
                {
                    json.WritePropertyName(entry.Key);
                    WritePlain(json, entry.Value);
                }
                json.WriteEndObject();
                break;
            default: json.WriteNullValue(); break;
        }
    }
}
