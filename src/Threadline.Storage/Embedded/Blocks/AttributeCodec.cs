using Threadline.Core.Model;

namespace Threadline.Storage.Embedded.Blocks;

/// <summary>
/// Encodes attribute lists, events and links into the binary columns of a block, keeping every
/// value's type exactly (arrays, key-value lists and bytes included) and the attributes' order.
/// A span attribute moved to a dedicated column leaves a one-byte placeholder at its position.
/// </summary>
internal static class AttributeCodec
{
    // Type tags; values 0-7 are AttributeType. Placeholders are DedicatedBase + column index.
    private const byte DedicatedBase = 0x80;

    // Arrays and key-value lists nest; a damaged or hostile blob cannot recurse deeper than this.
    private const int MaxDepth = 64;

    public static void WriteAttributes(BlobWriter writer, KeyValue[] attributes, Span<bool> dedicatedTaken)
    {
        writer.VarUInt((ulong)attributes.Length);
        foreach (var attribute in attributes)
        {
            if (!dedicatedTaken.IsEmpty)
            {
                var column = DedicatedColumns.IndexOf(attribute);
                if (column >= 0 && !dedicatedTaken[column])
                {
                    dedicatedTaken[column] = true;
                    writer.Byte((byte)(DedicatedBase + column));
                    continue;
                }
            }
            writer.Byte((byte)attribute.Value.Type);
            writer.String(attribute.Key);
            WriteValue(writer, attribute.Value, 0);
        }
    }

    /// <param name="dedicated">The span's dedicated column values, filling placeholders; empty for other lists.</param>
    /// <param name="loaded">
    /// Which dedicated columns were read, for a projection that read only some: the placeholders
    /// of the others are left out. Empty when all were read.
    /// </param>
    public static KeyValue[] ReadAttributes(ref BlobReader reader, ReadOnlySpan<AttributeValue?> dedicated, ReadOnlySpan<bool> loaded = default)
    {
        var count = reader.Count();
        if (count == 0) return [];
        var attributes = new KeyValue[count];
        var kept = 0;
        for (var i = 0; i < count; i++)
        {
            var tag = reader.Byte();
            if (tag >= DedicatedBase)
            {
                var column = tag - DedicatedBase;
                if (!loaded.IsEmpty && column < loaded.Length && !loaded[column]) continue;
                if (column >= dedicated.Length || dedicated[column] is not { } value)
                    throw new InvalidDataException($"A placeholder names dedicated column {column}, which holds no value for this span.");
                attributes[kept++] = new KeyValue(DedicatedColumns.All[column].Key, value);
                continue;
            }
            var key = reader.String();
            attributes[kept++] = new KeyValue(key, ReadValue(ref reader, tag, 0));
        }
        return kept == count ? attributes : attributes[..kept];
    }

    public static void WriteEvents(BlobWriter writer, SpanEvent[] events, ulong spanStart)
    {
        writer.VarUInt((ulong)events.Length);
        foreach (var e in events)
        {
            writer.VarInt(unchecked((long)(e.TimeUnixNano - spanStart)));
            writer.String(e.Name);
            WriteAttributes(writer, e.Attributes, []);
            writer.VarUInt(e.DroppedAttributesCount);
        }
    }

    public static SpanEvent[] ReadEvents(ref BlobReader reader, ulong spanStart)
    {
        var count = reader.Count();
        if (count == 0) return [];
        var events = new SpanEvent[count];
        for (var i = 0; i < count; i++)
        {
            var time = unchecked(spanStart + (ulong)reader.VarInt());
            var name = reader.String();
            var attributes = ReadAttributes(ref reader, []);
            events[i] = new SpanEvent(time, name, attributes, reader.VarUInt32());
        }
        return events;
    }

    public static void WriteLinks(BlobWriter writer, SpanLink[] links)
    {
        writer.VarUInt((ulong)links.Length);
        foreach (var link in links)
        {
            writer.Fixed64(link.TraceId.High);
            writer.Fixed64(link.TraceId.Low);
            writer.Fixed64(link.SpanId.Value);
            writer.String(link.TraceState);
            WriteAttributes(writer, link.Attributes, []);
            writer.VarUInt(link.DroppedAttributesCount);
            writer.VarUInt(link.Flags);
        }
    }

    public static SpanLink[] ReadLinks(ref BlobReader reader)
    {
        var count = reader.Count();
        if (count == 0) return [];
        var links = new SpanLink[count];
        for (var i = 0; i < count; i++)
        {
            var traceId = new TraceId(reader.Fixed64(), reader.Fixed64());
            var spanId = new SpanId(reader.Fixed64());
            var traceState = reader.String();
            var attributes = ReadAttributes(ref reader, []);
            links[i] = new SpanLink(traceId, spanId, traceState, attributes, reader.VarUInt32(), reader.VarUInt32());
        }
        return links;
    }

    /// <summary>A resource or scope's attributes, dropped count and schema URL.</summary>
    public static void WriteEntity(BlobWriter writer, KeyValue[] attributes, uint dropped, string schemaUrl)
    {
        WriteAttributes(writer, attributes, []);
        writer.VarUInt(dropped);
        writer.String(schemaUrl);
    }

    public static (KeyValue[] Attributes, uint Dropped, string SchemaUrl) ReadEntity(ref BlobReader reader)
    {
        var attributes = ReadAttributes(ref reader, []);
        var dropped = reader.VarUInt32();
        return (attributes, dropped, reader.String());
    }

    private static void WriteValue(BlobWriter writer, AttributeValue value, int depth)
    {
        if (depth > MaxDepth) throw new ArgumentException($"An attribute value nests deeper than {MaxDepth} levels.");
        switch (value.Type)
        {
            case AttributeType.String: writer.String(value.AsString()); break;
            case AttributeType.Bool: writer.Byte(value.AsBool() ? (byte)1 : (byte)0); break;
            case AttributeType.Int: writer.VarInt(value.AsInt()); break;
            case AttributeType.Double: writer.Fixed64(BitConverter.DoubleToUInt64Bits(value.AsDouble())); break;
            case AttributeType.Bytes: writer.Bytes(value.AsBytes()); break;
            case AttributeType.Array:
                var items = value.AsArray();
                writer.VarUInt((ulong)items.Length);
                foreach (var item in items)
                {
                    writer.Byte((byte)item.Type);
                    WriteValue(writer, item, depth + 1);
                }
                break;
            case AttributeType.KeyValueList:
                var pairs = value.AsKeyValueList();
                writer.VarUInt((ulong)pairs.Length);
                foreach (var pair in pairs)
                {
                    writer.Byte((byte)pair.Value.Type);
                    writer.String(pair.Key);
                    WriteValue(writer, pair.Value, depth + 1);
                }
                break;
        }
    }

    private static AttributeValue ReadValue(ref BlobReader reader, byte tag, int depth)
    {
        if (depth > MaxDepth) throw new InvalidDataException($"An attribute value nests deeper than {MaxDepth} levels.");
        switch ((AttributeType)tag)
        {
            case AttributeType.Empty: return AttributeValue.Empty;
            case AttributeType.String: return AttributeValue.FromString(reader.String());
            case AttributeType.Bool: return AttributeValue.FromBool(reader.Byte() != 0);
            case AttributeType.Int: return AttributeValue.FromInt(reader.VarInt());
            case AttributeType.Double: return AttributeValue.FromDouble(BitConverter.UInt64BitsToDouble(reader.Fixed64()));
            case AttributeType.Bytes: return AttributeValue.FromBytes(reader.Bytes().ToArray());
            case AttributeType.Array:
                var items = new AttributeValue[reader.Count()];
                for (var i = 0; i < items.Length; i++) items[i] = ReadValue(ref reader, reader.Byte(), depth + 1);
                return AttributeValue.FromArray(items);
            case AttributeType.KeyValueList:
                var pairs = new KeyValue[reader.Count()];
                for (var i = 0; i < pairs.Length; i++)
                {
                    var type = reader.Byte();
                    var key = reader.String();
                    pairs[i] = new KeyValue(key, ReadValue(ref reader, type, depth + 1));
                }
                return AttributeValue.FromKeyValueList(pairs);
            default:
                throw new InvalidDataException($"Unknown attribute type tag {tag}.");
        }
    }
}
