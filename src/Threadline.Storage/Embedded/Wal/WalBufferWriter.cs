using System.Buffers.Binary;
using System.Text;

namespace Threadline.Storage.Embedded.Wal;

/// <summary>A growable byte buffer with the few primitives the log's span codec writes.</summary>
internal sealed class WalBufferWriter(int initialCapacity = 4096)
{
    private byte[] _buffer = new byte[initialCapacity];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, Length);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, Length);

    public void Clear() => Length = 0;

    public void WriteByte(byte value) => Reserve(1)[0] = value;

    public void WriteVarint(ulong value)
    {
        var span = Reserve(10);
        var n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[n++] = (byte)value;
        Length -= 10 - n;
    }

    public void WriteSignedVarint(long value) => WriteVarint((ulong)((value << 1) ^ (value >> 63)));

    public void WriteFixed64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);

    public void WriteFixed32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        WriteVarint((ulong)bytes.Length);
        bytes.CopyTo(Reserve(bytes.Length));
    }

    public void WriteString(string value)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        // Length prefix first with room for the largest count, then shrink: one pass over the text.
        if (max < 128)
        {
            var lengthAt = Length;
            Reserve(1);
            var written = Encoding.UTF8.GetBytes(value, Reserve(max));
            Length -= max - written;
            _buffer[lengthAt] = (byte)written;
            return;
        }
        var count = Encoding.UTF8.GetByteCount(value);
        WriteVarint((ulong)count);
        Encoding.UTF8.GetBytes(value, Reserve(count));
    }

    /// <summary>Overwrites 4 bytes already written (a length or checksum slot).</summary>
    public void PatchFixed32(int at, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(at, 4), value);

    public Span<byte> Reserve(int count)
    {
        if (Length + count > _buffer.Length)
        {
            var grown = new byte[Math.Max(_buffer.Length * 2, Length + count)];
            _buffer.AsSpan(0, Length).CopyTo(grown);
            _buffer = grown;
        }
        var span = _buffer.AsSpan(Length, count);
        Length += count;
        return span;
    }
}
