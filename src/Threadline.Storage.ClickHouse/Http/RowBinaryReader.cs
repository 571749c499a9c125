using System.Buffers.Binary;
using System.Text;

namespace Threadline.Storage.ClickHouse.Http;

/// <summary>
/// Reads a RowBinary answer (<c>FORMAT RowBinary</c>) whose column types the query fixed.
/// Every read is bounds-checked: a truncated or foreign answer throws
/// <see cref="InvalidDataException"/> with the offset instead of reading past the end.
/// </summary>
internal ref struct RowBinaryReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly bool AtEnd => _position >= _data.Length;

    public byte UInt8() => Take(1)[0];

    public uint UInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    public ulong UInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

    public double Float64() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    public ReadOnlySpan<byte> Fixed(int length) => Take(length);

    public ReadOnlySpan<byte> Blob() => Take(Count());

    public string String() => Encoding.UTF8.GetString(Blob());

    /// <summary>A LEB128 length (of a string or an array).</summary>
    public int Count()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = UInt8();
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                if (value > int.MaxValue) throw new InvalidDataException($"RowBinary length {value} at byte {_position} is out of range.");
                return (int)value;
            }
        }
        throw new InvalidDataException($"RowBinary length at byte {_position} does not end.");
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _data.Length - _position)
            throw new InvalidDataException($"RowBinary answer ends at byte {_data.Length}, {count} more bytes were expected at {_position}.");
        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }
}
