using System.Buffers.Binary;
using System.Text;

namespace Threadline.Storage.Embedded.Blocks;

// Reads what BlobWriter wrote. Every length is checked against what is left, so a damaged
// blob ends in InvalidDataException, never in a huge allocation or a read past the end.
internal ref struct BlobReader(ReadOnlySpan<byte> data)
{
    private ReadOnlySpan<byte> _rest = data;

    public readonly bool AtEnd => _rest.IsEmpty;

    public byte Byte()
    {
        if (_rest.IsEmpty) throw Truncated();
        var b = _rest[0];
        _rest = _rest[1..];
        return b;
    }

    public ulong VarUInt()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = Byte();
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
        throw new InvalidDataException("A varint is longer than 10 bytes.");
    }

    public long VarInt()
    {
        var raw = VarUInt();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    public uint VarUInt32()
    {
        var value = VarUInt();
        return value <= uint.MaxValue ? (uint)value : throw new InvalidDataException($"The count {value} does not fit 32 bits.");
    }

    /// <summary>A count of items that each take at least one byte: bounded by what is left.</summary>
    public int Count()
    {
        var value = VarUInt();
        return value <= (ulong)_rest.Length ? (int)value : throw new InvalidDataException($"A count of {value} exceeds the {_rest.Length} bytes left.");
    }

    public ulong Fixed64()
    {
        if (_rest.Length < 8) throw Truncated();
        var value = BinaryPrimitives.ReadUInt64LittleEndian(_rest);
        _rest = _rest[8..];
        return value;
    }

    public ReadOnlySpan<byte> Bytes()
    {
        var length = Count();
        var value = _rest[..length];
        _rest = _rest[length..];
        return value;
    }

    public string String() => Encoding.UTF8.GetString(Bytes());

    private static InvalidDataException Truncated() => new("The encoded value ends early.");
}
