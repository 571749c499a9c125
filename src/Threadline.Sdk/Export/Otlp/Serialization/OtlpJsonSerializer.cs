using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Threadline.Sdk.Export.Otlp.Serialization;

/// <summary>
/// Writes an OTLP/JSON ExportTraceServiceRequest from activities: lowerCamelCase names, trace and
/// span ids as lowercase hex, 64-bit integers as strings, enums as integers (the OTLP/HTTP JSON
/// mapping). One instance per exporter, reusing its <see cref="Utf8JsonWriter"/>; not thread-safe.
/// </summary>
internal sealed class OtlpJsonSerializer : IDisposable
{
    private const int MaxArrayDepth = 4;

    private static readonly JsonEncodedText ResourceSpans = JsonEncodedText.Encode("resourceSpans");
    private static readonly JsonEncodedText Resource = JsonEncodedText.Encode("resource");
    private static readonly JsonEncodedText ScopeSpans = JsonEncodedText.Encode("scopeSpans");
    private static readonly JsonEncodedText Scope = JsonEncodedText.Encode("scope");
    private static readonly JsonEncodedText Spans = JsonEncodedText.Encode("spans");
    private static readonly JsonEncodedText SchemaUrl = JsonEncodedText.Encode("schemaUrl");
    private static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText Version = JsonEncodedText.Encode("version");
    private static readonly JsonEncodedText Attributes = JsonEncodedText.Encode("attributes");
    private static readonly JsonEncodedText DroppedAttributesCount = JsonEncodedText.Encode("droppedAttributesCount");
    private static readonly JsonEncodedText TraceId = JsonEncodedText.Encode("traceId");
    private static readonly JsonEncodedText SpanId = JsonEncodedText.Encode("spanId");
    private static readonly JsonEncodedText TraceState = JsonEncodedText.Encode("traceState");
    private static readonly JsonEncodedText ParentSpanId = JsonEncodedText.Encode("parentSpanId");
    private static readonly JsonEncodedText Flags = JsonEncodedText.Encode("flags");
    private static readonly JsonEncodedText Kind = JsonEncodedText.Encode("kind");
    private static readonly JsonEncodedText StartTimeUnixNano = JsonEncodedText.Encode("startTimeUnixNano");
    private static readonly JsonEncodedText EndTimeUnixNano = JsonEncodedText.Encode("endTimeUnixNano");
    private static readonly JsonEncodedText Events = JsonEncodedText.Encode("events");
    private static readonly JsonEncodedText DroppedEventsCount = JsonEncodedText.Encode("droppedEventsCount");
    private static readonly JsonEncodedText Links = JsonEncodedText.Encode("links");
    private static readonly JsonEncodedText DroppedLinksCount = JsonEncodedText.Encode("droppedLinksCount");
    private static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText Message = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText Code = JsonEncodedText.Encode("code");
    private static readonly JsonEncodedText TimeUnixNano = JsonEncodedText.Encode("timeUnixNano");
    private static readonly JsonEncodedText Key = JsonEncodedText.Encode("key");
    private static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");
    private static readonly JsonEncodedText StringValue = JsonEncodedText.Encode("stringValue");
    private static readonly JsonEncodedText BoolValue = JsonEncodedText.Encode("boolValue");
    private static readonly JsonEncodedText IntValue = JsonEncodedText.Encode("intValue");
    private static readonly JsonEncodedText DoubleValue = JsonEncodedText.Encode("doubleValue");
    private static readonly JsonEncodedText BytesValue = JsonEncodedText.Encode("bytesValue");
    private static readonly JsonEncodedText ArrayValue = JsonEncodedText.Encode("arrayValue");
    private static readonly JsonEncodedText Values = JsonEncodedText.Encode("values");

    private readonly ScopeGrouping _grouping = new();
    private readonly Utf8JsonWriter _writer;

    public OtlpJsonSerializer()
    {
        // The payload is never embedded in HTML, so only what JSON itself requires is escaped;
        // non-ASCII text stays as UTF-8 instead of growing six-fold into \u escapes. The document's
        // shape is fixed by this class (and checked by its tests), so per-call validation is skipped.
        _writer = new Utf8JsonWriter(Stream.Null, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });
    }

    public void Serialize(PayloadBuffer buffer, ServiceResource resource, IReadOnlyList<Activity> batch)
    {
        var writer = _writer;
        writer.Reset(buffer);
        var groups = _grouping.Group(batch);
        try
        {
            writer.WriteStartObject();
            writer.WriteStartArray(ResourceSpans);
            writer.WriteStartObject();

            writer.WriteStartObject(Resource);
            WriteAttributes(writer, resource.Attributes);
            writer.WriteEndObject();

            writer.WriteStartArray(ScopeSpans);
            for (var g = 0; g < groups.Count; g++)
            {
                var group = groups[g];
                writer.WriteStartObject();
                WriteScope(writer, group.Source);
                writer.WriteStartArray(Spans);
                for (var i = 0; i < group.Spans.Count; i++) WriteSpan(writer, group.Spans[i]);
                writer.WriteEndArray();
                var schemaUrl = group.Source.TelemetrySchemaUrl;
                if (!string.IsNullOrEmpty(schemaUrl)) writer.WriteString(SchemaUrl, schemaUrl);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();

            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.Flush();
        }
        finally
        {
            // The next call's Reset discards whatever a failed batch left pending in the writer.
            _grouping.Clear();
        }
    }

    public void Dispose() => _writer.Dispose();

    private static void WriteScope(Utf8JsonWriter writer, ActivitySource source)
    {
        writer.WriteStartObject(Scope);
        if (!string.IsNullOrEmpty(source.Name)) writer.WriteString(Name, source.Name);
        if (!string.IsNullOrEmpty(source.Version)) writer.WriteString(Version, source.Version);
        if (source.Tags is { } tags)
        {
            writer.WriteStartArray(Attributes);
            foreach (var tag in tags) WriteKeyValue(writer, tag.Key, tag.Value);
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    private static void WriteSpan(Utf8JsonWriter writer, Activity activity)
    {
        writer.WriteStartObject();
        // ActivityTraceId and ActivitySpanId keep their lowercase hex form, so this does not allocate.
        writer.WriteString(TraceId, activity.TraceId.ToHexString());
        writer.WriteString(SpanId, activity.SpanId.ToHexString());
        if (!string.IsNullOrEmpty(activity.TraceStateString)) writer.WriteString(TraceState, activity.TraceStateString);
        if (activity.ParentSpanId != default) writer.WriteString(ParentSpanId, activity.ParentSpanId.ToHexString());
        writer.WriteNumber(Flags, OtlpWire.SpanFlags(activity.ActivityTraceFlags, activity.HasRemoteParent));
        writer.WriteString(Name, activity.DisplayName);
        writer.WriteNumber(Kind, OtlpWire.SpanKind(activity.Kind));
        var start = OtlpWire.UnixNanoseconds(activity.StartTimeUtc.Ticks);
        WriteUInt64String(writer, StartTimeUnixNano, start);
        WriteUInt64String(writer, EndTimeUnixNano, start + OtlpWire.DurationNanoseconds(activity.Duration));

        writer.WriteStartArray(Attributes);
        foreach (ref readonly var tag in activity.EnumerateTagObjects()) WriteKeyValue(writer, tag.Key, tag.Value);
        writer.WriteEndArray();

        var dropped = DroppedCounts.Get(activity);
        if (dropped is { Attributes: > 0 }) writer.WriteNumber(DroppedAttributesCount, dropped.Attributes);

        // Events and links the SDK had to change are exported from its replacement lists.
        writer.WriteStartArray(Events);
        var events = ExportedItems<ActivityEvent>.Events(activity, dropped);
        while (events.MoveNext()) WriteEvent(writer, events.Current, OtlpWire.DroppedAt(dropped?.EventAttributes, events.Index));
        writer.WriteEndArray();
        if (dropped is { Events: > 0 }) writer.WriteNumber(DroppedEventsCount, dropped.Events);

        writer.WriteStartArray(Links);
        var links = ExportedItems<ActivityLink>.Links(activity, dropped);
        while (links.MoveNext()) WriteLink(writer, links.Current, OtlpWire.DroppedAt(dropped?.LinkAttributes, links.Index));
        writer.WriteEndArray();
        if (dropped is { Links: > 0 }) writer.WriteNumber(DroppedLinksCount, dropped.Links);

        if (activity.Status != ActivityStatusCode.Unset)
        {
            writer.WriteStartObject(Status);
            if (activity.Status == ActivityStatusCode.Error && !string.IsNullOrEmpty(activity.StatusDescription))
            {
                writer.WriteString(Message, activity.StatusDescription);
            }
            writer.WriteNumber(Code, (int)activity.Status);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static void WriteEvent(Utf8JsonWriter writer, in ActivityEvent activityEvent, int droppedAttributes)
    {
        writer.WriteStartObject();
        WriteUInt64String(writer, TimeUnixNano, OtlpWire.UnixNanoseconds(activityEvent.Timestamp.UtcTicks));
        writer.WriteString(Name, activityEvent.Name);
        writer.WriteStartArray(Attributes);
        foreach (ref readonly var tag in activityEvent.EnumerateTagObjects()) WriteKeyValue(writer, tag.Key, tag.Value);
        writer.WriteEndArray();
        if (droppedAttributes > 0) writer.WriteNumber(DroppedAttributesCount, droppedAttributes);
        writer.WriteEndObject();
    }

    private static void WriteLink(Utf8JsonWriter writer, in ActivityLink link, int droppedAttributes)
    {
        var context = link.Context;
        writer.WriteStartObject();
        writer.WriteString(TraceId, context.TraceId.ToHexString());
        writer.WriteString(SpanId, context.SpanId.ToHexString());
        if (!string.IsNullOrEmpty(context.TraceState)) writer.WriteString(TraceState, context.TraceState);
        writer.WriteStartArray(Attributes);
        foreach (ref readonly var tag in link.EnumerateTagObjects()) WriteKeyValue(writer, tag.Key, tag.Value);
        writer.WriteEndArray();
        if (droppedAttributes > 0) writer.WriteNumber(DroppedAttributesCount, droppedAttributes);
        writer.WriteNumber(Flags, OtlpWire.SpanFlags(context.TraceFlags, context.IsRemote));
        writer.WriteEndObject();
    }

    private static void WriteAttributes(Utf8JsonWriter writer, IReadOnlyList<KeyValuePair<string, object?>> attributes)
    {
        writer.WriteStartArray(Attributes);
        for (var i = 0; i < attributes.Count; i++) WriteKeyValue(writer, attributes[i].Key, attributes[i].Value);
        writer.WriteEndArray();
    }

    private static void WriteKeyValue(Utf8JsonWriter writer, string key, object? value)
    {
        // OTLP attributes cannot be null; the protobuf writer skips them too.
        if (value is null) return;
        writer.WriteStartObject();
        writer.WriteString(Key, key);
        writer.WriteStartObject(Value);
        WriteAnyValueBody(writer, value, 0);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteAnyValueBody(Utf8JsonWriter writer, object value, int depth)
    {
        switch (value)
        {
            case string text:
                writer.WriteString(StringValue, text);
                return;
            case long number:
                WriteInt64String(writer, IntValue, number);
                return;
            case int number:
                WriteInt64String(writer, IntValue, number);
                return;
            case bool flag:
                writer.WriteBoolean(BoolValue, flag);
                return;
            case double number:
                WriteDouble(writer, number);
                return;
            case float number:
                WriteDouble(writer, number);
                return;
            case short number:
                WriteInt64String(writer, IntValue, number);
                return;
            case ushort number:
                WriteInt64String(writer, IntValue, number);
                return;
            case uint number:
                WriteInt64String(writer, IntValue, number);
                return;
            case sbyte number:
                WriteInt64String(writer, IntValue, number);
                return;
            case byte number:
                WriteInt64String(writer, IntValue, number);
                return;
            case ulong number when number <= long.MaxValue:
                WriteInt64String(writer, IntValue, (long)number);
                return;
            case byte[] bytes:
                writer.WriteBase64String(BytesValue, bytes);
                return;
            case Array array when depth < MaxArrayDepth:
                writer.WriteStartObject(ArrayValue);
                writer.WriteStartArray(Values);
                foreach (var element in array)
                {
                    writer.WriteStartObject();
                    if (element is not null) WriteAnyValueBody(writer, element, depth + 1);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
                return;
            default:
                writer.WriteString(StringValue, OtlpWire.FormatOther(value));
                return;
        }
    }

    // The protobuf JSON mapping spells the values JSON numbers cannot hold as strings.
    private static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(DoubleValue, value);
        }
        else
        {
            writer.WriteString(DoubleValue, double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }

    private static void WriteInt64String(Utf8JsonWriter writer, JsonEncodedText name, long value)
    {
        Span<byte> digits = stackalloc byte[20];
        value.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
        writer.WriteString(name, digits[..written]);
    }

    private static void WriteUInt64String(Utf8JsonWriter writer, JsonEncodedText name, ulong value)
    {
        Span<byte> digits = stackalloc byte[20];
        value.TryFormat(digits, out var written, default, CultureInfo.InvariantCulture);
        writer.WriteString(name, digits[..written]);
    }
}
