using System.Diagnostics;
using Threadline.Protobuf;

namespace Threadline.Sdk.Export.Otlp.Serialization;

/// <summary>
/// Writes an OTLP ExportTraceServiceRequest straight from activities into a
/// <see cref="PayloadBuffer"/>, without building message objects. Fields are written in field
/// number order with minimal length varints, so the bytes equal what a generated serializer
/// produces for the same message. One instance per exporter; not thread-safe.
/// </summary>
internal sealed class OtlpProtobufSerializer
{
    // Nested arrays deeper than this are written as text: attribute values are meant to be flat,
    // and the bound keeps a self-containing object[] from recursing forever.
    private const int MaxArrayDepth = 4;

    private readonly ScopeGrouping _grouping = new();
    private ServiceResource? _cachedResource;
    private byte[] _cachedResourceField = [];

    /// <summary>Appends the request for <paramref name="batch"/> at the buffer's current position.</summary>
    public void Serialize(PayloadBuffer buffer, ServiceResource resource, IReadOnlyList<Activity> batch)
    {
        var groups = _grouping.Group(batch);
        try
        {
            // ExportTraceServiceRequest.resource_spans (1)
            var resourceSpans = buffer.BeginMessage(OtlpFieldKeys.Request_ResourceSpans, 3);

            // ResourceSpans.resource (1): the same for every batch, so written once and copied.
            buffer.WriteRaw(GetResourceField(resource));

            for (var g = 0; g < groups.Count; g++)
            {
                var group = groups[g];
                // ResourceSpans.scope_spans (2)
                var scopeSpans = buffer.BeginMessage(OtlpFieldKeys.ResourceSpans_ScopeSpans, 3);
                WriteScope(buffer, group.Source);
                var spans = group.Spans;
                for (var i = 0; i < spans.Count; i++) WriteSpan(buffer, spans[i]);
                var schemaUrl = group.Source.TelemetrySchemaUrl;
                if (!string.IsNullOrEmpty(schemaUrl)) buffer.WriteStringField(OtlpFieldKeys.ScopeSpans_SchemaUrl, schemaUrl);
                buffer.EndMessage(scopeSpans, 3);
            }

            buffer.EndMessage(resourceSpans, 3);
        }
        finally
        {
            _grouping.Clear();
        }
    }

    private ReadOnlySpan<byte> GetResourceField(ServiceResource resource)
    {
        if (!ReferenceEquals(resource, _cachedResource))
        {
            using var scratch = new PayloadBuffer(1024);
            var body = scratch.BeginMessage(OtlpFieldKeys.ResourceSpans_Resource, 2);
            foreach (var attribute in resource.Attributes)
            {
                WriteKeyValue(scratch, OtlpFieldKeys.Resource_Attributes, attribute.Key, attribute.Value);
            }
            scratch.EndMessage(body, 2);
            _cachedResourceField = scratch.WrittenSpan.ToArray();
            _cachedResource = resource;
        }
        return _cachedResourceField;
    }

    private static void WriteScope(PayloadBuffer buffer, ActivitySource source)
    {
        var scope = buffer.BeginMessage(OtlpFieldKeys.ScopeSpans_Scope, 1);
        if (!string.IsNullOrEmpty(source.Name)) buffer.WriteStringField(OtlpFieldKeys.Scope_Name, source.Name);
        if (!string.IsNullOrEmpty(source.Version)) buffer.WriteStringField(OtlpFieldKeys.Scope_Version, source.Version);
        if (source.Tags is { } tags)
        {
            foreach (var tag in tags) WriteKeyValue(buffer, OtlpFieldKeys.Scope_Attributes, tag.Key, tag.Value);
        }
        buffer.EndMessage(scope, 1);
    }

    private static void WriteSpan(PayloadBuffer buffer, Activity activity)
    {
        // A span with a dozen attributes is a few hundred bytes: a two-byte length.
        var span = buffer.BeginMessage(OtlpFieldKeys.ScopeSpans_Spans, 2);

        activity.TraceId.CopyTo(buffer.WriteBytesFieldHeader(OtlpFieldKeys.Span_TraceId, 16));
        activity.SpanId.CopyTo(buffer.WriteBytesFieldHeader(OtlpFieldKeys.Span_SpanId, 8));
        var traceState = activity.TraceStateString;
        if (!string.IsNullOrEmpty(traceState)) buffer.WriteStringField(OtlpFieldKeys.Span_TraceState, traceState);
        var parentSpanId = activity.ParentSpanId;
        if (parentSpanId != default) parentSpanId.CopyTo(buffer.WriteBytesFieldHeader(OtlpFieldKeys.Span_ParentSpanId, 8));
        var name = activity.DisplayName;
        if (!string.IsNullOrEmpty(name)) buffer.WriteStringField(OtlpFieldKeys.Span_Name, name);
        buffer.WriteVarintField(OtlpFieldKeys.Span_Kind, OtlpWire.SpanKind(activity.Kind));

        // proto3 leaves zero values out; only a clock before 1970 gives one here.
        var start = OtlpWire.UnixNanoseconds(activity.StartTimeUtc.Ticks);
        var end = start + OtlpWire.DurationNanoseconds(activity.Duration);
        if (start != 0) buffer.WriteFixed64Field(OtlpFieldKeys.Span_StartTimeUnixNano, start);
        if (end != 0) buffer.WriteFixed64Field(OtlpFieldKeys.Span_EndTimeUnixNano, end);

        foreach (ref readonly var tag in activity.EnumerateTagObjects())
        {
            WriteKeyValue(buffer, OtlpFieldKeys.Span_Attributes, tag.Key, tag.Value);
        }

        var dropped = DroppedCounts.Get(activity);
        if (dropped is { Attributes: > 0 }) buffer.WriteVarintField(OtlpFieldKeys.Span_DroppedAttributesCount, (uint)dropped.Attributes);

        // The SDK's limits and redaction replace events and links they had to change (an
        // Activity cannot edit them in place); those replacements are what gets exported.
        var events = ExportedItems<ActivityEvent>.Events(activity, dropped);
        while (events.MoveNext()) WriteEvent(buffer, events.Current, OtlpWire.DroppedAt(dropped?.EventAttributes, events.Index));
        if (dropped is { Events: > 0 }) buffer.WriteVarintField(OtlpFieldKeys.Span_DroppedEventsCount, (uint)dropped.Events);

        var links = ExportedItems<ActivityLink>.Links(activity, dropped);
        while (links.MoveNext()) WriteLink(buffer, links.Current, OtlpWire.DroppedAt(dropped?.LinkAttributes, links.Index));
        if (dropped is { Links: > 0 }) buffer.WriteVarintField(OtlpFieldKeys.Span_DroppedLinksCount, (uint)dropped.Links);

        if (activity.Status != ActivityStatusCode.Unset)
        {
            var status = buffer.BeginMessage(OtlpFieldKeys.Span_Status, 1);
            // The spec keeps a description only for errors.
            var description = activity.StatusDescription;
            if (activity.Status == ActivityStatusCode.Error && !string.IsNullOrEmpty(description))
            {
                buffer.WriteStringField(OtlpFieldKeys.Status_Message, description);
            }
            buffer.WriteVarintField(OtlpFieldKeys.Status_Code, (uint)activity.Status);
            buffer.EndMessage(status, 1);
        }

        buffer.WriteFixed32Field(OtlpFieldKeys.Span_Flags, OtlpWire.SpanFlags(activity.ActivityTraceFlags, activity.HasRemoteParent));

        buffer.EndMessage(span, 2);
    }

    private static void WriteEvent(PayloadBuffer buffer, in ActivityEvent activityEvent, int droppedAttributes)
    {
        var message = buffer.BeginMessage(OtlpFieldKeys.Span_Events, 1);
        var time = OtlpWire.UnixNanoseconds(activityEvent.Timestamp.UtcTicks);
        if (time != 0) buffer.WriteFixed64Field(OtlpFieldKeys.Event_TimeUnixNano, time);
        if (!string.IsNullOrEmpty(activityEvent.Name)) buffer.WriteStringField(OtlpFieldKeys.Event_Name, activityEvent.Name);
        foreach (ref readonly var tag in activityEvent.EnumerateTagObjects())
        {
            WriteKeyValue(buffer, OtlpFieldKeys.Event_Attributes, tag.Key, tag.Value);
        }
        if (droppedAttributes > 0) buffer.WriteVarintField(OtlpFieldKeys.Event_DroppedAttributesCount, (uint)droppedAttributes);
        buffer.EndMessage(message, 1);
    }

    private static void WriteLink(PayloadBuffer buffer, in ActivityLink link, int droppedAttributes)
    {
        var message = buffer.BeginMessage(OtlpFieldKeys.Span_Links, 1);
        var context = link.Context;
        context.TraceId.CopyTo(buffer.WriteBytesFieldHeader(OtlpFieldKeys.Link_TraceId, 16));
        context.SpanId.CopyTo(buffer.WriteBytesFieldHeader(OtlpFieldKeys.Link_SpanId, 8));
        if (!string.IsNullOrEmpty(context.TraceState)) buffer.WriteStringField(OtlpFieldKeys.Link_TraceState, context.TraceState);
        foreach (ref readonly var tag in link.EnumerateTagObjects())
        {
            WriteKeyValue(buffer, OtlpFieldKeys.Link_Attributes, tag.Key, tag.Value);
        }
        if (droppedAttributes > 0) buffer.WriteVarintField(OtlpFieldKeys.Link_DroppedAttributesCount, (uint)droppedAttributes);
        buffer.WriteFixed32Field(OtlpFieldKeys.Link_Flags, OtlpWire.SpanFlags(context.TraceFlags, context.IsRemote));
        buffer.EndMessage(message, 1);
    }

    /// <summary>One KeyValue; a null value is skipped because OTLP attributes cannot be null.</summary>
    private static void WriteKeyValue(PayloadBuffer buffer, byte key, string name, object? value)
    {
        if (value is null) return;
        var keyValue = buffer.BeginMessage(key, 1);
        buffer.WriteStringField(OtlpFieldKeys.KeyValue_Key, name);
        var anyValue = buffer.BeginMessage(OtlpFieldKeys.KeyValue_Value, 1);
        WriteAnyValueBody(buffer, value, 0);
        buffer.EndMessage(anyValue, 1);
        buffer.EndMessage(keyValue, 1);
    }

    private static void WriteAnyValueBody(PayloadBuffer buffer, object value, int depth)
    {
        // Most attribute values are strings, then integers, booleans and doubles: test in that order.
        switch (value)
        {
            case string text:
                buffer.WriteStringField(OtlpFieldKeys.AnyValue_String, text);
                return;
            case long number:
                buffer.WriteVarintField(OtlpFieldKeys.AnyValue_Int, (ulong)number);
                return;
            case int number:
                buffer.WriteVarintField(OtlpFieldKeys.AnyValue_Int, (ulong)(long)number);
                return;
            case bool flag:
                buffer.WriteVarintField(OtlpFieldKeys.AnyValue_Bool, flag ? 1UL : 0UL);
                return;
            case double number:
                buffer.WriteDoubleField(OtlpFieldKeys.AnyValue_Double, number);
                return;
            case float number:
                buffer.WriteDoubleField(OtlpFieldKeys.AnyValue_Double, number);
                return;
            case short number:
                buffer.WriteVarintField(OtlpFieldKeys.AnyValue_Int, (ulong)(long)number);
                return;
            case ushort number:
                buffer.WriteVarintField(OtlpFieldKeys.AnyValue_Int, number);
                return;
            case uint number:
                buffer.WriteVarintField(OtlpFieldKeys.AnyValue_Int, number);
                return;
            case sbyte number:
                buffer.WriteVarintField(OtlpFieldKeys.AnyValue_Int, (ulong)(long)number);
                return;
            case byte number:
                buffer.WriteVarintField(OtlpFieldKeys.AnyValue_Int, number);
                return;
            case ulong number when number <= long.MaxValue:
                buffer.WriteVarintField(OtlpFieldKeys.AnyValue_Int, number);
                return;
            case byte[] bytes:
                buffer.WriteBytesField(OtlpFieldKeys.AnyValue_Bytes, bytes);
                return;
            case Array array when depth < MaxArrayDepth:
                WriteArray(buffer, array, depth);
                return;
            default:
                buffer.WriteStringField(OtlpFieldKeys.AnyValue_String, OtlpWire.FormatOther(value));
                return;
        }
    }

    private static void WriteArray(PayloadBuffer buffer, Array array, int depth)
    {
        var arrayValue = buffer.BeginMessage(OtlpFieldKeys.AnyValue_Array, 1);
        switch (array)
        {
            // Typed loops for the array types attributes use, so elements are not boxed.
            case string?[] strings:
                foreach (var element in strings)
                {
                    var item = buffer.BeginMessage(OtlpFieldKeys.ArrayValue_Values, 1);
                    if (element is not null) buffer.WriteStringField(OtlpFieldKeys.AnyValue_String, element);
                    buffer.EndMessage(item, 1);
                }
                break;
            case long[] numbers:
                foreach (var element in numbers) WriteArrayInteger(buffer, element);
                break;
            case int[] numbers:
                foreach (var element in numbers) WriteArrayInteger(buffer, element);
                break;
            case double[] numbers:
                foreach (var element in numbers) WriteArrayDouble(buffer, element);
                break;
            case bool[] flags:
                foreach (var element in flags)
                {
                    var item = buffer.BeginMessage(OtlpFieldKeys.ArrayValue_Values, 1);
                    buffer.WriteVarintField(OtlpFieldKeys.AnyValue_Bool, element ? 1UL : 0UL);
                    buffer.EndMessage(item, 1);
                }
                break;
            case float[] numbers:
                foreach (var element in numbers) WriteArrayDouble(buffer, element);
                break;
            default:
                foreach (var element in array)
                {
                    var item = buffer.BeginMessage(OtlpFieldKeys.ArrayValue_Values, 1);
                    // A null element stays as an empty AnyValue so positions are kept.
                    if (element is not null) WriteAnyValueBody(buffer, element, depth + 1);
                    buffer.EndMessage(item, 1);
                }
                break;
        }
        buffer.EndMessage(arrayValue, 1);
    }

    private static void WriteArrayInteger(PayloadBuffer buffer, long value)
    {
        var item = buffer.BeginMessage(OtlpFieldKeys.ArrayValue_Values, 1);
        buffer.WriteVarintField(OtlpFieldKeys.AnyValue_Int, (ulong)value);
        buffer.EndMessage(item, 1);
    }

    private static void WriteArrayDouble(PayloadBuffer buffer, double value)
    {
        var item = buffer.BeginMessage(OtlpFieldKeys.ArrayValue_Values, 1);
        buffer.WriteDoubleField(OtlpFieldKeys.AnyValue_Double, value);
        buffer.EndMessage(item, 1);
    }
}
