using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using Threadline.Protobuf;

namespace Threadline.Sdk.Export.Otlp.Serialization;

/// <summary>
/// A growable byte buffer rented from the shared pool and kept for the exporter's lifetime, with
/// the protobuf wire primitives the OTLP serializer needs. One instance is reused for every batch,
/// so steady-state serialization allocates nothing. Not thread-safe: the exporter serializes one
/// batch at a time.
/// </summary>
internal sealed class PayloadBuffer : IBufferWriter<byte>, IDisposable
{
    private const int MinimumGrowth = 4096;

    private byte[] _buffer;
    private int _position;

    public PayloadBuffer(int initialCapacity) => _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialCapacity, 256));

    /// <summary>The array behind the buffer; valid until the next write that grows it.</summary>
    public byte[] Array => _buffer;

    /// <summary>Bytes written so far (also the offset of the next write).</summary>
    public int Length => _position;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _position);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _position);

    public int Capacity => _buffer.Length;

    public void Clear() => _position = 0;

    /// <summary>Skips <paramref name="count"/> bytes the caller fills in later (a frame header).</summary>
    public void Skip(int count)
    {
        EnsureCapacity(count);
        _position += count;
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _position = 0;
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
    }

    // IBufferWriter<byte>, for Utf8JsonWriter and GZip output.
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > _buffer.Length - _position) throw new InvalidOperationException("Advanced past the end of the span handed out.");
        _position += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureCapacity(Math.Max(sizeHint, 1));
        return _buffer.AsMemory(_position);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureCapacity(Math.Max(sizeHint, 1));
        return _buffer.AsSpan(_position);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EnsureCapacity(int additional)
    {
        if (_buffer.Length - _position < additional) Grow(additional);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int additional)
    {
        var required = (long)_position + additional;
        var next = Math.Max(Math.Max((long)_buffer.Length * 2, required), _position + MinimumGrowth);
        if (required > System.Array.MaxLength) throw new InvalidOperationException($"An OTLP payload cannot exceed {System.Array.MaxLength} bytes; export smaller batches.");
        var grown = ArrayPool<byte>.Shared.Rent((int)Math.Min(next, System.Array.MaxLength));
        _buffer.AsSpan(0, _position).CopyTo(grown);
        if (_buffer.Length > 0) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = grown;
    }

    // ---- protobuf wire primitives -------------------------------------------------------------

    /// <summary>A field key that fits one byte (field numbers 1-15).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteByte(byte value)
    {
        EnsureCapacity(1);
        _buffer[_position++] = value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteVarint(ulong value)
    {
        EnsureCapacity(Varint.MaxLength);
        _position = Varint.Write(_buffer, _position, value);
    }

    /// <summary>A one-byte key followed by a varint.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteVarintField(byte key, ulong value)
    {
        EnsureCapacity(1 + Varint.MaxLength);
        var buffer = _buffer;
        buffer[_position] = key;
        _position = Varint.Write(buffer, _position + 1, value);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteFixed64Field(byte key, ulong value)
    {
        EnsureCapacity(9);
        _buffer[_position] = key;
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.AsSpan(_position + 1, 8), value);
        _position += 9;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteDoubleField(byte key, double value) => WriteFixed64Field(key, BitConverter.DoubleToUInt64Bits(value));

    /// <summary>A fixed32 field whose key takes two bytes (field numbers 16-2047).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteFixed32Field(ushort twoByteKey, uint value)
    {
        EnsureCapacity(6);
        _buffer[_position] = (byte)(twoByteKey | 0x80);
        _buffer[_position + 1] = (byte)(twoByteKey >> 7);
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_position + 2, 4), value);
        _position += 6;
    }

    /// <summary>A fixed32 field with a one-byte key.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteFixed32Field(byte key, uint value)
    {
        EnsureCapacity(5);
        _buffer[_position] = key;
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_position + 1, 4), value);
        _position += 5;
    }

    /// <summary>A length-delimited field holding UTF-8 text.</summary>
    public void WriteStringField(byte key, string value)
    {
        // Up to 42 UTF-16 units encode to at most 126 bytes, so the length is one byte and the
        // text can be transcoded straight into place without counting it first. The ASCII
        // transcoder is tried first: it is faster for the common case and stops at the first
        // non-ASCII char, after which the UTF-8 encoder redoes the string.
        if (value.Length <= 42)
        {
            EnsureCapacity(2 + (value.Length * 3));
            var buffer = _buffer;
            buffer[_position] = key;
            var target = buffer.AsSpan(_position + 2);
            if (Ascii.FromUtf16(value, target, out var written) != OperationStatus.Done)
            {
                written = Encoding.UTF8.GetBytes(value, target);
            }
            buffer[_position + 1] = (byte)written;
            _position += 2 + written;
            return;
        }

        // Most text is ASCII: one byte per char, so the length is known before transcoding.
        var asciiLengthSize = Varint.Size((uint)value.Length);
        EnsureCapacity(1 + asciiLengthSize + value.Length);
        if (Ascii.FromUtf16(value, _buffer.AsSpan(_position + 1 + asciiLengthSize, value.Length), out _) == OperationStatus.Done)
        {
            // The text is already in place after the gap: only the key and length go in front.
            _buffer[_position++] = key;
            WriteVarintInPlace((uint)value.Length);
            _position += value.Length;
            return;
        }

        var byteCount = Encoding.UTF8.GetByteCount(value);
        EnsureCapacity(6 + byteCount);
        _buffer[_position++] = key;
        WriteVarintInPlace((uint)byteCount);
        _position += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_position));
    }

    /// <summary>A length-delimited field holding raw bytes.</summary>
    public void WriteBytesField(byte key, ReadOnlySpan<byte> value)
    {
        EnsureCapacity(6 + value.Length);
        _buffer[_position++] = key;
        WriteVarint((uint)value.Length);
        value.CopyTo(_buffer.AsSpan(_position));
        _position += value.Length;
    }

    /// <summary>
    /// Writes the key and length of a bytes field and returns the space for its value, for callers
    /// that produce the bytes in place (trace and span ids).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<byte> WriteBytesFieldHeader(byte key, byte length)
    {
        EnsureCapacity(2 + length);
        _buffer[_position] = key;
        _buffer[_position + 1] = length;
        var value = _buffer.AsSpan(_position + 2, length);
        _position += 2 + length;
        return value;
    }

    /// <summary>Copies bytes already in wire form (a cached sub-message).</summary>
    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        EnsureCapacity(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_position));
        _position += bytes.Length;
    }

    /// <summary>
    /// Starts a nested message: writes the key and leaves <paramref name="reserved"/> bytes for
    /// the length, a guess of its varint size. Returns the offset where the body starts, for
    /// <see cref="EndMessage"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int BeginMessage(byte key, int reserved)
    {
        EnsureCapacity(1 + reserved);
        _buffer[_position] = key;
        _position += 1 + reserved;
        return _position;
    }

    /// <summary>
    /// Ends a nested message: writes its length in the reserved bytes. When the guess was wrong
    /// the body moves so the length stays a minimal varint (a canonical encoding: byte-for-byte
    /// what a generated serializer writes). Guesses are right for nearly every message, so the move
    /// is rare and then small.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void EndMessage(int bodyStart, int reserved)
    {
        var length = _position - bodyStart;
        if (reserved == 1 && length < 0x80)
        {
            _buffer[bodyStart - 1] = (byte)length;
            return;
        }
        EndMessageSlow(bodyStart, reserved, length);
    }

    private void EndMessageSlow(int bodyStart, int reserved, int length)
    {
        var needed = Varint.Size((uint)length);
        var lengthStart = bodyStart - reserved;
        if (needed != reserved)
        {
            if (needed > reserved) EnsureCapacity(needed - reserved);
            var shift = needed - reserved;
            _buffer.AsSpan(bodyStart, length).CopyTo(_buffer.AsSpan(bodyStart + shift));
            _position += shift;
        }

        Varint.Write(_buffer, lengthStart, (uint)length);
    }

    /// <summary>A varint where the caller has already ensured the space.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WriteVarintInPlace(uint value) => _position = Varint.Write(_buffer, _position, value);
}
