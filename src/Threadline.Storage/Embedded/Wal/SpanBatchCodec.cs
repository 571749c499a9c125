using Threadline.Core.Model;

namespace Threadline.Storage.Embedded.Wal;

/// <summary>
/// The log's own binary form of a batch of spans: every field of <see cref="Span"/>, exactly.
/// Resources and scopes are written once per batch and referred to by index, as spans share
/// them by reference, so a replayed batch shares them again. Compact (varints, no field tags)
/// because the format is versioned as a whole by the segment header, not per field.
/// </summary>
internal static class SpanBatchCodec
{
    // Nesting of arrays and key-value lists deeper than this is refused on decode: the decoder
    // recurses, and no receiver hands over deeper values (the protocol decoders bound depth lower).
    private const int MaxDepth = 64;

    public static void Encode(IReadOnlyList<Span> spans, WalBufferWriter writer)
    {
        var resources = new Dictionary<Resource, int>(ReferenceEqualityComparer.Instance);
        var scopes = new Dictionary<InstrumentationScope, int>(ReferenceEqualityComparer.Instance);
        var resourceList = new List<Resource>();
        var scopeList = new List<InstrumentationScope>();
        var resourceOf = new int[spans.Count];
        var scopeOf = new int[spans.Count];
        Resource? lastResource = null;
        InstrumentationScope? lastScope = null;
        int lastResourceIndex = 0, lastScopeIndex = 0;
        for (var i = 0; i < spans.Count; i++)
        {
            var span = spans[i];
            if (!ReferenceEquals(span.Resource, lastResource))
            {
                lastResource = span.Resource;
                if (!resources.TryGetValue(lastResource, out lastResourceIndex))
                {
                    lastResourceIndex = resourceList.Count;
                    resources.Add(lastResource, lastResourceIndex);
                    resourceList.Add(lastResource);
                }
            }
            if (!ReferenceEquals(span.Scope, lastScope))
            {
                lastScope = span.Scope;
                if (!scopes.TryGetValue(lastScope, out lastScopeIndex))
                {
                    lastScopeIndex = scopeList.Count;
                    scopes.Add(lastScope, lastScopeIndex);
                    scopeList.Add(lastScope);
                }
            }
            resourceOf[i] = lastResourceIndex;
            scopeOf[i] = lastScopeIndex;
        }

        writer.WriteVarint((ulong)resourceList.Count);
        foreach (var resource in resourceList)
        {
            WriteAttributes(writer, resource.Attributes);
            writer.WriteVarint(resource.DroppedAttributesCount);
            writer.WriteString(resource.SchemaUrl);
        }
        writer.WriteVarint((ulong)scopeList.Count);
        foreach (var scope in scopeList)
        {
            writer.WriteString(scope.Name);
            writer.WriteString(scope.Version);
            WriteAttributes(writer, scope.Attributes);
            writer.WriteVarint(scope.DroppedAttributesCount);
            writer.WriteString(scope.SchemaUrl);
        }
        writer.WriteVarint((ulong)spans.Count);
        for (var i = 0; i < spans.Count; i++) WriteSpan(writer, spans[i], resourceOf[i], scopeOf[i]);
    }

    /// <exception cref="InvalidDataException">The bytes are not a batch this codec wrote.</exception>
    public static Span[] Decode(ReadOnlySpan<byte> payload)
    {
        var reader = new WalBufferReader(payload);
        var resources = new Resource[reader.ReadCount()];
        for (var i = 0; i < resources.Length; i++)
        {
            var attributes = ReadAttributes(ref reader, 0);
            var dropped = (uint)reader.ReadVarint();
            resources[i] = new Resource(attributes, dropped, reader.ReadString());
        }
        var scopes = new InstrumentationScope[reader.ReadCount()];
        for (var i = 0; i < scopes.Length; i++)
        {
            var name = reader.ReadString();
            var version = reader.ReadString();
            var attributes = ReadAttributes(ref reader, 0);
            var dropped = (uint)reader.ReadVarint();
            scopes[i] = new InstrumentationScope(name, version, attributes, dropped, reader.ReadString());
        }
        var spans = new Span[reader.ReadCount()];
        for (var i = 0; i < spans.Length; i++) spans[i] = ReadSpan(ref reader, resources, scopes);
        if (!reader.AtEnd) throw reader.Invalid("bytes left after the last span");
        return spans;
    }

    private static void WriteSpan(WalBufferWriter writer, Span span, int resource, int scope)
    {
        WriteTraceId(writer, span.TraceId);
        writer.WriteFixed64(span.SpanId.Value);
        writer.WriteFixed64(span.ParentSpanId.Value);
        writer.WriteString(span.TraceState);
        writer.WriteVarint(span.Flags);
        writer.WriteString(span.Name);
        writer.WriteByte((byte)span.Kind);
        writer.WriteFixed64(span.StartTimeUnixNano);
        // Most spans end within seconds of their start: the difference is a short varint.
        writer.WriteSignedVarint(unchecked((long)(span.EndTimeUnixNano - span.StartTimeUnixNano)));
        WriteAttributes(writer, span.Attributes);
        writer.WriteVarint(span.DroppedAttributesCount);
        writer.WriteVarint((ulong)span.Events.Length);
        foreach (var e in span.Events)
        {
            writer.WriteSignedVarint(unchecked((long)(e.TimeUnixNano - span.StartTimeUnixNano)));
            writer.WriteString(e.Name);
            WriteAttributes(writer, e.Attributes);
            writer.WriteVarint(e.DroppedAttributesCount);
        }
        writer.WriteVarint(span.DroppedEventsCount);
        writer.WriteVarint((ulong)span.Links.Length);
        foreach (var link in span.Links)
        {
            WriteTraceId(writer, link.TraceId);
            writer.WriteFixed64(link.SpanId.Value);
            writer.WriteString(link.TraceState);
            WriteAttributes(writer, link.Attributes);
            writer.WriteVarint(link.DroppedAttributesCount);
            writer.WriteVarint(link.Flags);
        }
        writer.WriteVarint(span.DroppedLinksCount);
        writer.WriteByte((byte)span.Status.Code);
        writer.WriteString(span.Status.Message);
        writer.WriteVarint((ulong)resource);
        writer.WriteVarint((ulong)scope);
    }

    private static Span ReadSpan(ref WalBufferReader reader, Resource[] resources, InstrumentationScope[] scopes)
    {
        var traceId = ReadTraceId(ref reader);
        var spanId = new SpanId(reader.ReadFixed64());
        var parent = new SpanId(reader.ReadFixed64());
        var traceState = reader.ReadString();
        var flags = (uint)reader.ReadVarint();
        var name = reader.ReadString();
        var kind = (SpanKind)reader.ReadByte();
        var start = reader.ReadFixed64();
        var end = unchecked(start + (ulong)reader.ReadSignedVarint());
        var attributes = ReadAttributes(ref reader, 0);
        var droppedAttributes = (uint)reader.ReadVarint();
        var events = reader.ReadCount() is var eventCount and > 0 ? new SpanEvent[eventCount] : [];
        for (var i = 0; i < events.Length; i++)
        {
            var time = unchecked(start + (ulong)reader.ReadSignedVarint());
            var eventName = reader.ReadString();
            var eventAttributes = ReadAttributes(ref reader, 0);
            events[i] = new SpanEvent(time, eventName, eventAttributes, (uint)reader.ReadVarint());
        }
        var droppedEvents = (uint)reader.ReadVarint();
        var links = reader.ReadCount() is var linkCount and > 0 ? new SpanLink[linkCount] : [];
        for (var i = 0; i < links.Length; i++)
        {
            var linkTrace = ReadTraceId(ref reader);
            var linkSpan = new SpanId(reader.ReadFixed64());
            var linkState = reader.ReadString();
            var linkAttributes = ReadAttributes(ref reader, 0);
            var linkDropped = (uint)reader.ReadVarint();
            links[i] = new SpanLink(linkTrace, linkSpan, linkState, linkAttributes, linkDropped, (uint)reader.ReadVarint());
        }
        var droppedLinks = (uint)reader.ReadVarint();
        var statusCode = (StatusCode)reader.ReadByte();
        var status = new SpanStatus(statusCode, reader.ReadString());
        var resource = reader.ReadVarint();
        var scope = reader.ReadVarint();
        if (resource >= (ulong)resources.Length || scope >= (ulong)scopes.Length)
            throw reader.Invalid($"resource {resource} of {resources.Length} or scope {scope} of {scopes.Length}");
        return new Span
        {
            TraceId = traceId,
            SpanId = spanId,
            ParentSpanId = parent,
            TraceState = traceState,
            Flags = flags,
            Name = name,
            Kind = kind,
            StartTimeUnixNano = start,
            EndTimeUnixNano = end,
            Attributes = attributes,
            DroppedAttributesCount = droppedAttributes,
            Events = events,
            DroppedEventsCount = droppedEvents,
            Links = links,
            DroppedLinksCount = droppedLinks,
            Status = status.Code == StatusCode.Unset && status.Message.Length == 0 ? SpanStatus.Unset : status,
            Resource = resources[resource],
            Scope = scopes[scope],
        };
    }

    private static void WriteTraceId(WalBufferWriter writer, TraceId id)
    {
        writer.WriteFixed64(id.High);
        writer.WriteFixed64(id.Low);
    }

    private static TraceId ReadTraceId(ref WalBufferReader reader)
    {
        var high = reader.ReadFixed64();
        return new TraceId(high, reader.ReadFixed64());
    }

    private static void WriteAttributes(WalBufferWriter writer, KeyValue[] attributes)
    {
        writer.WriteVarint((ulong)attributes.Length);
        foreach (var attribute in attributes)
        {
            writer.WriteString(attribute.Key);
            WriteValue(writer, attribute.Value);
        }
    }

    private static KeyValue[] ReadAttributes(ref WalBufferReader reader, int depth)
    {
        var count = reader.ReadCount();
        if (count == 0) return [];
        var attributes = new KeyValue[count];
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadString();
            attributes[i] = new KeyValue(key, ReadValue(ref reader, depth));
        }
        return attributes;
    }

    private static void WriteValue(WalBufferWriter writer, AttributeValue value)
    {
        writer.WriteByte((byte)value.Type);
        switch (value.Type)
        {
            case AttributeType.String: writer.WriteString(value.AsString()); break;
            case AttributeType.Bool: writer.WriteByte(value.AsBool() ? (byte)1 : (byte)0); break;
            case AttributeType.Int: writer.WriteSignedVarint(value.AsInt()); break;
            case AttributeType.Double: writer.WriteFixed64((ulong)BitConverter.DoubleToInt64Bits(value.AsDouble())); break;
            case AttributeType.Bytes: writer.WriteBytes(value.AsBytes()); break;
            case AttributeType.Array:
                var items = value.AsArray();
                writer.WriteVarint((ulong)items.Length);
                foreach (var item in items) WriteValue(writer, item);
                break;
            case AttributeType.KeyValueList: WriteAttributes(writer, value.AsKeyValueList()); break;
        }
    }

    private static AttributeValue ReadValue(ref WalBufferReader reader, int depth)
    {
        if (depth > MaxDepth) throw reader.Invalid($"values nested deeper than {MaxDepth}");
        var type = (AttributeType)reader.ReadByte();
        switch (type)
        {
            case AttributeType.Empty: return AttributeValue.Empty;
            case AttributeType.String: return AttributeValue.FromString(reader.ReadString());
            case AttributeType.Bool: return AttributeValue.FromBool(reader.ReadByte() != 0);
            case AttributeType.Int: return AttributeValue.FromInt(reader.ReadSignedVarint());
            case AttributeType.Double: return AttributeValue.FromDouble(BitConverter.Int64BitsToDouble((long)reader.ReadFixed64()));
            case AttributeType.Bytes: return AttributeValue.FromBytes(reader.ReadBytes());
            case AttributeType.Array:
                var items = new AttributeValue[reader.ReadCount()];
                for (var i = 0; i < items.Length; i++) items[i] = ReadValue(ref reader, depth + 1);
                return AttributeValue.FromArray(items);
            case AttributeType.KeyValueList: return AttributeValue.FromKeyValueList(ReadAttributes(ref reader, depth + 1));
            default: throw reader.Invalid($"unknown attribute type {(byte)type}");
        }
    }
}
