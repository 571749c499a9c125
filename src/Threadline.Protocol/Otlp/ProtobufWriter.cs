using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using Threadline.Protobuf;

namespace Threadline.Protocol.Otlp;

/// <summary>
/// Writes protobuf wire primitives into a pooled, growing buffer. An embedded message is written
/// with one byte reserved for its length; if the finished body turns out to need a longer length
/// prefix, the body is moved up. Most messages (attributes, values) fit in one byte, so the move is
/// rare and the output is canonical, unlike writers that pad every length to a fixed width.
/// </summary>
internal sealed class ProtobufWriter : IDisposable
{
    private byte[] _buffer;
    private int _position;

    public ProtobufWriter(int initialCapacity)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 256));
    }

    public byte[] ToArray() => _buffer.AsSpan(0, _position).ToArray();

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Ensure(int bytes)
    {
        if (_buffer.Length - _position < bytes) Grow(bytes);
    }

    private void Grow(int bytes)
    {
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _position + bytes));
        _buffer.AsSpan(0, _position).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    public void WriteTag(int field, int wireType) => WriteVarint(WireType.Tag(field, wireType));

    public void WriteVarint(ulong value)
    {
        Ensure(Varint.MaxLength);
        _position = Varint.Write(_buffer, _position, value);
    }

    /// <summary>A varint field, omitted when zero as proto3 does for scalars.</summary>
    public void WriteUInt32(int field, uint value)
    {
        if (value == 0) return;
        WriteTag(field, WireType.Varint);
        WriteVarint(value);
    }

    /// <summary>A fixed64 field, omitted when zero.</summary>
    public void WriteFixed64(int field, ulong value)
    {
        if (value == 0) return;
        WriteTag(field, WireType.Fixed64);
        WriteFixed64Value(value);
    }

    public void WriteFixed64Value(ulong value)
    {
        Ensure(8);
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_position), value);
        _position += 8;
    }

    /// <summary>A fixed32 field, omitted when zero.</summary>
    public void WriteFixed32(int field, uint value)
    {
        if (value == 0) return;
        WriteTag(field, WireType.Fixed32);
        Ensure(4);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_position), value);
        _position += 4;
    }

    /// <summary>A string field, omitted when empty.</summary>
    public void WriteString(int field, string value)
    {
        if (value.Length == 0) return;
        WriteStringAlways(field, value);
    }

    /// <summary>A string field written even when empty (a oneof member, where presence carries meaning).</summary>
    public void WriteStringAlways(int field, string value)
    {
        WriteTag(field, WireType.LengthDelimited);
        var maxBytes = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (maxBytes < 0x80)
        {
            // Short strings: the length certainly fits in one byte, so encode first and fill it in after.
            Ensure(1 + maxBytes);
            var written = Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_position + 1));
            _buffer[_position] = (byte)written;
            _position += 1 + written;
            return;
        }
        var length = Encoding.UTF8.GetByteCount(value);
        WriteVarint((uint)length);
        Ensure(length);
        _position += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_position));
    }

    /// <summary>A bytes field written even when empty.</summary>
    public void WriteBytesAlways(int field, ReadOnlySpan<byte> value)
    {
        WriteTag(field, WireType.LengthDelimited);
        WriteVarint((uint)value.Length);
        Ensure(value.Length);
        value.CopyTo(_buffer.AsSpan(_position));
        _position += value.Length;
    }

    /// <summary>Starts an embedded message; pass the result to <see cref="EndMessage"/>.</summary>
    public int BeginMessage(int field)
    {
        WriteTag(field, WireType.LengthDelimited);
        Ensure(1);
        _position++;
        return _position;
    }

    public void EndMessage(int bodyStart)
    {
        var length = _position - bodyStart;
        if (length < 0x80)
        {
            _buffer[bodyStart - 1] = (byte)length;
            return;
        }
        var extra = Varint.Size((uint)length) - 1;
        Ensure(extra);
        Buffer.BlockCopy(_buffer, bodyStart, _buffer, bodyStart + extra, length);
        Varint.Write(_buffer, bodyStart - 1, (uint)length);
        _position += extra;
    }
}
