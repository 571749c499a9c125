using Threadline.Core.Model;
using Threadline.Protobuf;

namespace Threadline.Protocol.Otlp;

/// <summary>Encodes Core spans as OTLP protobuf messages.</summary>
/// <remarks>
/// Hand-written rather than built on the generated messages: it writes straight from the Core
/// model, so it neither copies every span into generated objects nor allocates per field.
/// Default (zero / empty) scalars are omitted as proto3 does, except inside AnyValue where the
/// chosen member is always written so that "" and false survive a round trip.
/// </remarks>
public static class OtlpProtobufEncoder
{
    /// <summary>An ExportTraceServiceRequest grouping spans by resource then scope (by reference).</summary>
    public static byte[] EncodeExportRequest(IReadOnlyList<Span> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        using var writer = new ProtobufWriter(64 + spans.Count * 512);
        foreach (var resourceGroup in SpanGrouping.ByResourceAndScope(spans))
        {
            var resourceSpans = writer.BeginMessage(1);
            var resource = resourceGroup.Resource;
            if (resource.Attributes.Length > 0 || resource.DroppedAttributesCount > 0)
            {
                var message = writer.BeginMessage(1);
                WriteAttributes(writer, 1, resource.Attributes);
                writer.WriteUInt32(2, resource.DroppedAttributesCount);
                writer.EndMessage(message);
            }
            foreach (var scopeGroup in resourceGroup.Scopes)
            {
                var scopeSpans = writer.BeginMessage(2);
                var scope = scopeGroup.Scope;
                if (scope.Name.Length > 0 || scope.Version.Length > 0 || scope.Attributes.Length > 0 || scope.DroppedAttributesCount > 0)
                {
                    var message = writer.BeginMessage(1);
                    writer.WriteString(1, scope.Name);
                    writer.WriteString(2, scope.Version);
                    WriteAttributes(writer, 3, scope.Attributes);
                    writer.WriteUInt32(4, scope.DroppedAttributesCount);
                    writer.EndMessage(message);
                }
                foreach (var span in scopeGroup.Spans) WriteSpan(writer, span);
                writer.WriteString(3, scope.SchemaUrl);
                writer.EndMessage(scopeSpans);
            }
            writer.WriteString(3, resource.SchemaUrl);
            writer.EndMessage(resourceSpans);
        }
        return writer.ToArray();
    }

    /// <summary>An ExportTraceServiceResponse; partial_success is set only when something was rejected.</summary>
    /// <remarks>A message with zero rejected spans is still sent: OTLP uses that as a warning to the client.</remarks>
    public static byte[] EncodeExportResponse(int rejectedSpans, string? errorMessage)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rejectedSpans);
        if (rejectedSpans == 0 && string.IsNullOrEmpty(errorMessage)) return [];
        using var writer = new ProtobufWriter(64 + (errorMessage?.Length ?? 0) * 3);
        var partialSuccess = writer.BeginMessage(1);
        if (rejectedSpans > 0)
        {
            writer.WriteTag(1, WireType.Varint);
            writer.WriteVarint((ulong)rejectedSpans);
        }
        writer.WriteString(2, errorMessage ?? string.Empty);
        writer.EndMessage(partialSuccess);
        return writer.ToArray();
    }

    private static void WriteSpan(ProtobufWriter writer, Span span)
    {
        Span<byte> id = stackalloc byte[TraceId.ByteLength];
        var message = writer.BeginMessage(2);
        span.TraceId.WriteBytes(id);
        writer.WriteBytesAlways(1, id);
        span.SpanId.WriteBytes(id);
        writer.WriteBytesAlways(2, id[..SpanId.ByteLength]);
        writer.WriteString(3, span.TraceState);
        if (!span.ParentSpanId.IsEmpty)
        {
            span.ParentSpanId.WriteBytes(id);
            writer.WriteBytesAlways(4, id[..SpanId.ByteLength]);
        }
        writer.WriteString(5, span.Name);
        writer.WriteUInt32(6, (uint)span.Kind);
        writer.WriteFixed64(7, span.StartTimeUnixNano);
        writer.WriteFixed64(8, span.EndTimeUnixNano);
        WriteAttributes(writer, 9, span.Attributes);
        writer.WriteUInt32(10, span.DroppedAttributesCount);
        foreach (var spanEvent in span.Events)
        {
            var eventMessage = writer.BeginMessage(11);
            writer.WriteFixed64(1, spanEvent.TimeUnixNano);
            writer.WriteString(2, spanEvent.Name);
            WriteAttributes(writer, 3, spanEvent.Attributes);
            writer.WriteUInt32(4, spanEvent.DroppedAttributesCount);
            writer.EndMessage(eventMessage);
        }
        writer.WriteUInt32(12, span.DroppedEventsCount);
        foreach (var link in span.Links)
        {
            var linkMessage = writer.BeginMessage(13);
            link.TraceId.WriteBytes(id);
            writer.WriteBytesAlways(1, id);
            link.SpanId.WriteBytes(id);
            writer.WriteBytesAlways(2, id[..SpanId.ByteLength]);
            writer.WriteString(3, link.TraceState);
            WriteAttributes(writer, 4, link.Attributes);
            writer.WriteUInt32(5, link.DroppedAttributesCount);
            writer.WriteFixed32(6, link.Flags);
            writer.EndMessage(linkMessage);
        }
        writer.WriteUInt32(14, span.DroppedLinksCount);
        if (span.Status.Code != StatusCode.Unset || !string.IsNullOrEmpty(span.Status.Message))
        {
            var status = writer.BeginMessage(15);
            writer.WriteString(2, span.Status.Message ?? string.Empty);
            writer.WriteUInt32(3, (uint)span.Status.Code);
            writer.EndMessage(status);
        }
        writer.WriteFixed32(16, span.Flags);
        writer.EndMessage(message);
    }

    private static void WriteAttributes(ProtobufWriter writer, int field, KeyValue[] attributes)
    {
        foreach (var attribute in attributes) WriteKeyValue(writer, field, attribute);
    }

    /// <summary>One KeyValue message as field <paramref name="field"/>; Tempo's messages embed OTLP's KeyValue too.</summary>
    internal static void WriteKeyValue(ProtobufWriter writer, int field, KeyValue attribute)
    {
        var message = writer.BeginMessage(field);
        writer.WriteString(1, attribute.Key ?? string.Empty);
        WriteAnyValue(writer, 2, attribute.Value);
        writer.EndMessage(message);
    }

    private static void WriteAnyValue(ProtobufWriter writer, int field, AttributeValue value)
    {
        var message = writer.BeginMessage(field);
        switch (value.Type)
        {
            case AttributeType.String:
                writer.WriteStringAlways(1, value.AsString());
                break;
            case AttributeType.Bool:
                writer.WriteTag(2, WireType.Varint);
                writer.WriteVarint(value.AsBool() ? 1u : 0u);
                break;
            case AttributeType.Int:
                writer.WriteTag(3, WireType.Varint);
                writer.WriteVarint((ulong)value.AsInt());
                break;
            case AttributeType.Double:
                // Written even for 0.0: a oneof member is present whatever its value.
                writer.WriteTag(4, WireType.Fixed64);
                writer.WriteFixed64Value(BitConverter.DoubleToUInt64Bits(value.AsDouble()));
                break;
            case AttributeType.Array:
                var array = writer.BeginMessage(5);
                foreach (var element in value.AsArray()) WriteAnyValue(writer, 1, element);
                writer.EndMessage(array);
                break;
            case AttributeType.KeyValueList:
                var list = writer.BeginMessage(6);
                foreach (var entry in value.AsKeyValueList()) WriteKeyValue(writer, 1, entry);
                writer.EndMessage(list);
                break;
            case AttributeType.Bytes:
                writer.WriteBytesAlways(7, value.AsBytes());
                break;
            default:
                // An empty AnyValue: the message is present with no member set.
                break;
        }
        writer.EndMessage(message);
    }
}
