using System.Text;

namespace Threadline.Server.Tests.Infrastructure;

/// <summary>
/// A minimal protobuf writer for hand-building requests the real encoder would never produce
/// (ids of the wrong length, truncated messages).
/// </summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream _bytes = new();

    public ProtoWriter Varint(int field, ulong value)
    {
        Tag(field, 0);
        WriteVarint(value);
        return this;
    }

    public ProtoWriter Fixed64(int field, ulong value)
    {
        Tag(field, 1);
        Span<byte> buffer = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(buffer, value);
        _bytes.Write(buffer);
        return this;
    }

    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, 2);
        WriteVarint((ulong)value.Length);
        _bytes.Write(value);
        return this;
    }

    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

    public byte[] ToArray() => _bytes.ToArray();

    private void Tag(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _bytes.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        _bytes.WriteByte((byte)value);
    }
}

/// <summary>One field of a protobuf message as read by <see cref="ProtoReader"/>.</summary>
internal sealed record ProtoField(int Number, int WireType, ulong Varint, byte[] Bytes)
{
    public string Text => Encoding.UTF8.GetString(Bytes);
}

/// <summary>Reads the top-level fields of a protobuf message, for checking what the server wrote.</summary>
internal static class ProtoReader
{
    public static List<ProtoField> Fields(ReadOnlySpan<byte> message)
    {
        var fields = new List<ProtoField>();
        var i = 0;
        while (i < message.Length)
        {
            var tag = ReadVarint(message, ref i);
            var number = (int)(tag >> 3);
            var wireType = (int)(tag & 7);
            switch (wireType)
            {
                case 0:
                    fields.Add(new(number, wireType, ReadVarint(message, ref i), []));
                    break;
                case 1:
                    fields.Add(new(number, wireType, System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(message[i..]), []));
                    i += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message, ref i);
                    fields.Add(new(number, wireType, 0, message.Slice(i, length).ToArray()));
                    i += length;
                    break;
                default:
                    throw new InvalidDataException($"Unexpected wire type {wireType} at byte {i}.");
            }
        }
        return fields;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> message, ref int i)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = message[i++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
    }
}

/// <summary>Hand-built OTLP ExportTraceServiceRequests.</summary>
internal static class OtlpRequests
{
    /// <summary>A request with one resource and one scope holding the given span messages.</summary>
    public static byte[] WithSpans(string service, params ProtoWriter[] spans)
    {
        var resource = new ProtoWriter().Message(1, new ProtoWriter().String(1, "service.name").Message(2, new ProtoWriter().String(1, service)));
        var scopeSpans = new ProtoWriter().Message(1, new ProtoWriter().String(1, "hand-built"));
        foreach (var span in spans) scopeSpans.Message(2, span);
        var resourceSpans = new ProtoWriter().Message(1, resource).Message(2, scopeSpans);
        return new ProtoWriter().Message(1, resourceSpans).ToArray();
    }

    /// <summary>A span message; ids are raw bytes so tests can make them the wrong length.</summary>
    public static ProtoWriter Span(byte[] traceId, byte[] spanId, string name, ulong start = 1_700_000_000_000_000_000, ulong end = 1_700_000_000_100_000_000) =>
        new ProtoWriter().Bytes(1, traceId).Bytes(2, spanId).String(5, name).Varint(6, 2).Fixed64(7, start).Fixed64(8, end);
}
