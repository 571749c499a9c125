using System.Buffers.Binary;
using System.Text;

namespace Threadline.Storage.ClickHouse.Http;

/// <summary>
/// Writes rows in ClickHouse's RowBinary format (every version since 1.1 reads it): fixed-width
/// little-endian numbers, strings and arrays prefixed by a LEB128 length. The engine inserts
/// with it over plain HTTP; no per-value text formatting or escaping is involved.
/// </summary>
internal sealed class RowBinaryWriter(int initialCapacity = 1 << 16)
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
    private byte[] _buffer = new byte[initialCapacity];

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, Length);

    public void UInt8(byte value) => Reserve(1)[0] = value;

    public void UInt32(uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Reserve(4), value);

    public void Int32(int value) => BinaryPrimitives.WriteInt32LittleEndian(Reserve(4), value);

    public void UInt64(ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Reserve(8), value);

    public void Int64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Reserve(8), value);

    public void Float64(double value) => BinaryPrimitives.WriteDoubleLittleEndian(Reserve(8), value);

    /// <summary>A DateTime column: seconds since the epoch, clamped to what the type holds.</summary>
    public void DateTime(ulong unixNano) => UInt32((uint)Math.Min(unixNano / 1_000_000_000, uint.MaxValue));

    /// <summary>A FixedString column: exactly the bytes given.</summary>
    public void Fixed(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Reserve(bytes.Length));

    /// <summary>An array's length; its elements follow.</summary>
    public void ArrayLength(int count) => Varint((ulong)count);

    public void String(string value)
    {
        var max = Utf8.GetMaxByteCount(value.Length);
        if (max <= 255)
        {
            // Short strings (most names and values): encode straight after a one-byte length hole.
            var at = Length;
            var span = Reserve(max + 2);
            var written = Utf8.GetBytes(value, span[2..]);
            if (written < 0x80)
            {
                span[0] = (byte)written;
                span[2..(2 + written)].CopyTo(span[1..]);
                Length = at + 1 + written;
            }
            else
            {
                span[0] = (byte)(written | 0x80);
                span[1] = (byte)(written >> 7);
                Length = at + 2 + written;
            }
            return;
        }
        var count = Utf8.GetByteCount(value);
        Varint((ulong)count);
        Utf8.GetBytes(value, Reserve(count));
    }

    /// <summary>Raw bytes as a String column.</summary>
    public void Blob(ReadOnlySpan<byte> bytes)
    {
        Varint((ulong)bytes.Length);
        bytes.CopyTo(Reserve(bytes.Length));
    }

    public void Clear() => Length = 0;

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            Reserve(1)[0] = (byte)(value | 0x80);
            value >>= 7;
        }
        Reserve(1)[0] = (byte)value;
    }

    private Span<byte> Reserve(int count)
    {
        if (Length + count > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + count));
        var span = _buffer.AsSpan(Length, count);
        Length += count;
        return span;
    }
}
