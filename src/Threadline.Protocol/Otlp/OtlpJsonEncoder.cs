using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using Threadline.Core.Model;

namespace Threadline.Protocol.Otlp;

/// <summary>Writes Core spans in the OTLP/JSON mapping.</summary>
/// <remarks>
/// lowerCamelCase keys, hex ids, 64-bit integers as decimal strings, enums as integers, doubles
/// as numbers except NaN and the infinities (as their names), bytes as base64. Fields holding
/// their default value are omitted, except ids, name, kind and the two timestamps, which every
/// span has.
/// </remarks>
public static class OtlpJsonEncoder
{
    private static readonly JsonEncodedText ResourceSpansName = JsonEncodedText.Encode("resourceSpans");
    private static readonly JsonEncodedText ResourceName = JsonEncodedText.Encode("resource");
    private static readonly JsonEncodedText ScopeSpansName = JsonEncodedText.Encode("scopeSpans");
    private static readonly JsonEncodedText ScopeName = JsonEncodedText.Encode("scope");
    private static readonly JsonEncodedText SpansName = JsonEncodedText.Encode("spans");
    private static readonly JsonEncodedText SchemaUrlName = JsonEncodedText.Encode("schemaUrl");
    private static readonly JsonEncodedText NameName = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText VersionName = JsonEncodedText.Encode("version");
    private static readonly JsonEncodedText AttributesName = JsonEncodedText.Encode("attributes");
    private static readonly JsonEncodedText DroppedAttributesCountName = JsonEncodedText.Encode("droppedAttributesCount");
    private static readonly JsonEncodedText TraceIdName = JsonEncodedText.Encode("traceId");
    private static readonly JsonEncodedText SpanIdName = JsonEncodedText.Encode("spanId");
    private static readonly JsonEncodedText TraceStateName = JsonEncodedText.Encode("traceState");
    private static readonly JsonEncodedText ParentSpanIdName = JsonEncodedText.Encode("parentSpanId");
    private static readonly JsonEncodedText FlagsName = JsonEncodedText.Encode("flags");
    private static readonly JsonEncodedText KindName = JsonEncodedText.Encode("kind");
    private static readonly JsonEncodedText StartTimeName = JsonEncodedText.Encode("startTimeUnixNano");
    private static readonly JsonEncodedText EndTimeName = JsonEncodedText.Encode("endTimeUnixNano");
    private static readonly JsonEncodedText EventsName = JsonEncodedText.Encode("events");
    private static readonly JsonEncodedText DroppedEventsCountName = JsonEncodedText.Encode("droppedEventsCount");
    private static readonly JsonEncodedText LinksName = JsonEncodedText.Encode("links");
    private static readonly JsonEncodedText DroppedLinksCountName = JsonEncodedText.Encode("droppedLinksCount");
    private static readonly JsonEncodedText StatusName = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText MessageName = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText CodeName = JsonEncodedText.Encode("code");
    private static readonly JsonEncodedText TimeName = JsonEncodedText.Encode("timeUnixNano");
    private static readonly JsonEncodedText KeyName = JsonEncodedText.Encode("key");
    private static readonly JsonEncodedText ValueName = JsonEncodedText.Encode("value");
    private static readonly JsonEncodedText ValuesName = JsonEncodedText.Encode("values");
    private static readonly JsonEncodedText StringValueName = JsonEncodedText.Encode("stringValue");
    private static readonly JsonEncodedText BoolValueName = JsonEncodedText.Encode("boolValue");
    private static readonly JsonEncodedText IntValueName = JsonEncodedText.Encode("intValue");
    private static readonly JsonEncodedText DoubleValueName = JsonEncodedText.Encode("doubleValue");
    private static readonly JsonEncodedText BytesValueName = JsonEncodedText.Encode("bytesValue");
    private static readonly JsonEncodedText ArrayValueName = JsonEncodedText.Encode("arrayValue");
    private static readonly JsonEncodedText KvlistValueName = JsonEncodedText.Encode("kvlistValue");

    // The proto enum value names, indexed by value, as protobuf-JSON writes enums.
    private static readonly string[] KindNames = ["SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"];
    private static readonly string[] StatusCodeNames = ["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"];

    /// <summary>Writes a whole ExportTraceServiceRequest object ({"resourceSpans":[...]}).</summary>
    public static void WriteExportRequest(Utf8JsonWriter writer, IReadOnlyList<Span> spans) =>
        WriteExportRequest(writer, spans, OtlpJsonStyle.Otlp);

    /// <summary>
    /// Writes the spans as one object holding the array of ResourceSpans, named and encoded as
    /// <paramref name="style"/> says (Tempo's protobuf-JSON differs from OTLP/JSON in ids and enums).
    /// </summary>
    internal static void WriteExportRequest(Utf8JsonWriter writer, IReadOnlyList<Span> spans, OtlpJsonStyle style)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(spans);
        writer.WriteStartObject();
        writer.WriteStartArray(style.ResourceSpansName);
        foreach (var resourceGroup in SpanGrouping.ByResourceAndScope(spans))
        {
            writer.WriteStartObject();
            var resource = resourceGroup.Resource;
            if (resource.Attributes.Length > 0 || resource.DroppedAttributesCount > 0)
            {
                writer.WriteStartObject(ResourceName);
                WriteAttributes(writer, resource.Attributes);
                WriteCount(writer, DroppedAttributesCountName, resource.DroppedAttributesCount);
                writer.WriteEndObject();
            }
            writer.WriteStartArray(ScopeSpansName);
            foreach (var scopeGroup in resourceGroup.Scopes)
            {
                writer.WriteStartObject();
                var scope = scopeGroup.Scope;
                if (scope.Name.Length > 0 || scope.Version.Length > 0 || scope.Attributes.Length > 0 || scope.DroppedAttributesCount > 0)
                {
                    writer.WriteStartObject(ScopeName);
                    WriteNonEmpty(writer, NameName, scope.Name);
                    WriteNonEmpty(writer, VersionName, scope.Version);
                    WriteAttributes(writer, scope.Attributes);
                    WriteCount(writer, DroppedAttributesCountName, scope.DroppedAttributesCount);
                    writer.WriteEndObject();
                }
                writer.WriteStartArray(SpansName);
                foreach (var span in scopeGroup.Spans) WriteSpan(writer, span, style);
                writer.WriteEndArray();
                WriteNonEmpty(writer, SchemaUrlName, scope.SchemaUrl);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            WriteNonEmpty(writer, SchemaUrlName, resource.SchemaUrl);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static byte[] EncodeExportRequest(IReadOnlyList<Span> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var buffer = new ArrayBufferWriter<byte>(256 + spans.Count * 1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteExportRequest(writer, spans);
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>{} on full success, otherwise {"partialSuccess":{...}} (also for a warning with nothing rejected).</summary>
    public static byte[] EncodeExportResponse(int rejectedSpans, string? errorMessage)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rejectedSpans);
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (rejectedSpans > 0 || !string.IsNullOrEmpty(errorMessage))
            {
                writer.WriteStartObject("partialSuccess");
                if (rejectedSpans > 0) WriteInt64String(writer, JsonEncodedText.Encode("rejectedSpans"), rejectedSpans);
                if (!string.IsNullOrEmpty(errorMessage)) writer.WriteString("errorMessage", errorMessage);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteSpan(Utf8JsonWriter writer, Span span, OtlpJsonStyle style)
    {
        writer.WriteStartObject();
        WriteTraceId(writer, TraceIdName, span.TraceId, style);
        WriteSpanId(writer, SpanIdName, span.SpanId, style);
        WriteNonEmpty(writer, TraceStateName, span.TraceState);
        if (!span.ParentSpanId.IsEmpty) WriteSpanId(writer, ParentSpanIdName, span.ParentSpanId, style);
        WriteCount(writer, FlagsName, span.Flags);
        writer.WriteString(NameName, span.Name);
        if (!style.EnumsAsNames) writer.WriteNumber(KindName, (int)span.Kind);
        else if (span.Kind != SpanKind.Unspecified) WriteEnum(writer, KindName, (int)span.Kind, KindNames);
        WriteUInt64String(writer, StartTimeName, span.StartTimeUnixNano);
        WriteUInt64String(writer, EndTimeName, span.EndTimeUnixNano);
        WriteAttributes(writer, span.Attributes);
        WriteCount(writer, DroppedAttributesCountName, span.DroppedAttributesCount);
        if (span.Events.Length > 0)
        {
            writer.WriteStartArray(EventsName);
            foreach (var spanEvent in span.Events)
            {
                writer.WriteStartObject();
                WriteUInt64String(writer, TimeName, spanEvent.TimeUnixNano);
                writer.WriteString(NameName, spanEvent.Name);
                WriteAttributes(writer, spanEvent.Attributes);
                WriteCount(writer, DroppedAttributesCountName, spanEvent.DroppedAttributesCount);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        WriteCount(writer, DroppedEventsCountName, span.DroppedEventsCount);
        if (span.Links.Length > 0)
        {
            writer.WriteStartArray(LinksName);
            foreach (var link in span.Links)
            {
                writer.WriteStartObject();
                WriteTraceId(writer, TraceIdName, link.TraceId, style);
                WriteSpanId(writer, SpanIdName, link.SpanId, style);
                WriteNonEmpty(writer, TraceStateName, link.TraceState);
                WriteAttributes(writer, link.Attributes);
                WriteCount(writer, DroppedAttributesCountName, link.DroppedAttributesCount);
                WriteCount(writer, FlagsName, link.Flags);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        WriteCount(writer, DroppedLinksCountName, span.DroppedLinksCount);
        if (span.Status.Code != StatusCode.Unset || !string.IsNullOrEmpty(span.Status.Message))
        {
            writer.WriteStartObject(StatusName);
            WriteNonEmpty(writer, MessageName, span.Status.Message ?? string.Empty);
            if (span.Status.Code != StatusCode.Unset)
            {
                if (style.EnumsAsNames) WriteEnum(writer, CodeName, (int)span.Status.Code, StatusCodeNames);
                else writer.WriteNumber(CodeName, (int)span.Status.Code);
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    private static void WriteAttributes(Utf8JsonWriter writer, KeyValue[] attributes)
    {
        if (attributes.Length == 0) return;
        writer.WriteStartArray(AttributesName);
        foreach (var attribute in attributes) WriteKeyValue(writer, attribute);
        writer.WriteEndArray();
    }

    /// <summary>One KeyValue object; OTLP/JSON and protobuf-JSON agree on AnyValue, so other shapes reuse it.</summary>
    internal static void WriteKeyValue(Utf8JsonWriter writer, KeyValue attribute)
    {
        writer.WriteStartObject();
        writer.WriteString(KeyName, attribute.Key ?? string.Empty);
        writer.WritePropertyName(ValueName);
        WriteAnyValue(writer, attribute.Value);
        writer.WriteEndObject();
    }

    private static void WriteAnyValue(Utf8JsonWriter writer, AttributeValue value)
    {
        writer.WriteStartObject();
        switch (value.Type)
        {
            case AttributeType.String:
                writer.WriteString(StringValueName, value.AsString());
                break;
            case AttributeType.Bool:
                writer.WriteBoolean(BoolValueName, value.AsBool());
                break;
            case AttributeType.Int:
                WriteInt64String(writer, IntValueName, value.AsInt());
                break;
            case AttributeType.Double:
                var number = value.AsDouble();
                if (double.IsFinite(number)) writer.WriteNumber(DoubleValueName, number);
                else writer.WriteString(DoubleValueName, double.IsNaN(number) ? "NaN" : number > 0 ? "Infinity" : "-Infinity");
                break;
            case AttributeType.Bytes:
                writer.WriteBase64String(BytesValueName, value.AsBytes());
                break;
            case AttributeType.Array:
                writer.WriteStartObject(ArrayValueName);
                writer.WriteStartArray(ValuesName);
                foreach (var element in value.AsArray()) WriteAnyValue(writer, element);
                writer.WriteEndArray();
                writer.WriteEndObject();
                break;
            case AttributeType.KeyValueList:
                writer.WriteStartObject(KvlistValueName);
                writer.WriteStartArray(ValuesName);
                foreach (var entry in value.AsKeyValueList()) WriteKeyValue(writer, entry);
                writer.WriteEndArray();
                writer.WriteEndObject();
                break;
            default:
                // An empty AnyValue is an empty object.
                break;
        }
        writer.WriteEndObject();
    }

    private static void WriteTraceId(Utf8JsonWriter writer, JsonEncodedText name, TraceId id, OtlpJsonStyle style)
    {
        if (style.IdsAsBase64)
        {
            Span<byte> bytes = stackalloc byte[TraceId.ByteLength];
            id.WriteBytes(bytes);
            writer.WriteBase64String(name, bytes);
            return;
        }
        Span<char> hex = stackalloc char[TraceId.HexLength];
        id.TryFormat(hex, out _, default, null);
        writer.WriteString(name, hex);
    }

    private static void WriteSpanId(Utf8JsonWriter writer, JsonEncodedText name, SpanId id, OtlpJsonStyle style)
    {
        if (style.IdsAsBase64)
        {
            Span<byte> bytes = stackalloc byte[SpanId.ByteLength];
            id.WriteBytes(bytes);
            writer.WriteBase64String(name, bytes);
            return;
        }
        Span<char> hex = stackalloc char[SpanId.HexLength];
        id.TryFormat(hex, out _, default, null);
        writer.WriteString(name, hex);
    }

    // protobuf-JSON writes a value its enum does not name as the number.
    private static void WriteEnum(Utf8JsonWriter writer, JsonEncodedText name, int value, string[] names)
    {
        if (value < names.Length) writer.WriteString(name, names[value]);
        else writer.WriteNumber(name, value);
    }

    private static void WriteUInt64String(Utf8JsonWriter writer, JsonEncodedText name, ulong value)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, digits, out var written);
        writer.WriteString(name, digits[..written]);
    }

    private static void WriteInt64String(Utf8JsonWriter writer, JsonEncodedText name, long value)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, digits, out var written);
        writer.WriteString(name, digits[..written]);
    }

    private static void WriteCount(Utf8JsonWriter writer, JsonEncodedText name, uint value)
    {
        if (value != 0) writer.WriteNumber(name, value);
    }

    private static void WriteNonEmpty(Utf8JsonWriter writer, JsonEncodedText name, string value)
    {
        if (value.Length > 0) writer.WriteString(name, value);
    }
}
