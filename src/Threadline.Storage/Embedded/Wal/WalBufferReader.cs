using System.Buffers.Binary;
using System.Text;

namespace Threadline.Storage.Embedded.Wal;

/// <summary>
/// Reads what <see cref="WalBufferWriter"/> wrote. Every read is bounds-checked: a record that
/// passed its checksum but does not decode (a bug, or a writer of another version) throws
/// <see cref="InvalidDataException"/> with the offset, never reads past the record.
/// </summary>
internal ref struct WalBufferReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;

    public int Position { get; private set; }

    public readonly bool AtEnd => Position == _data.Length;

    public byte ReadByte()
    {
        Need(1);
        return _data[Position++];
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = ReadByte();
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
        throw Invalid("a varint longer than 10 bytes");
    }

    public long ReadSignedVarint()
    {
        var raw = ReadVarint();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }

    /// <summary>A count of items that follow, each at least one byte: bounded by what is left.</summary>
    public int ReadCount()
    {
        var count = ReadVarint();
        if (count > (ulong)(_data.Length - Position)) throw Invalid($"a count of {count} with {_data.Length - Position} bytes left");
        return (int)count;
    }

    public ulong ReadFixed64()
    {
        Need(8);
        var value = BinaryPrimitives.ReadUInt64LittleEndian(_data[Position..]);
        Position += 8;
        return value;
    }

    public uint ReadFixed32()
    {
        Need(4);
        var value = BinaryPrimitives.ReadUInt32LittleEndian(_data[Position..]);
        Position += 4;
        return value;
    }

    public ReadOnlySpan<byte> ReadRaw(int count)
    {
        Need(count);
        var span = _data.Slice(Position, count);
        Position += count;
        return span;
    }

    public byte[] ReadBytes() => ReadRaw(ReadCount()).ToArray();

    public string ReadString()
    {
        var bytes = ReadRaw(ReadCount());
        return bytes.Length == 0 ? string.Empty : Encoding.UTF8.GetString(bytes);
    }

    private readonly void Need(int count)
    {
        if (count < 0 || _data.Length - Position < count) throw Invalid($"{count} more bytes needed, {_data.Length - Position} left");
    }

    public readonly InvalidDataException Invalid(string what) => new($"{what} at byte {Position} of the record");
}
