using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Threadline.Protobuf;

namespace Threadline.Protocol.Otlp;

/// <summary>
/// Reads protobuf wire primitives from one contiguous payload. Every read is checked against the
/// end of the message being read (the "limit"), so a nested length can never make the reader run
/// into the bytes of an enclosing message. Offsets in error messages are from the start of the
/// payload so a client can find the byte in a hex dump.
/// </summary>
internal ref struct ProtobufReader
{
    /// <summary>Groups are obsolete but legal on the wire; nesting is bounded so a hostile payload cannot recurse deeply.</summary>
    private const int MaxGroupDepth = 64;

    private readonly ReadOnlySpan<byte> _data;
    private int _position;
    private int _limit;
    private int _tagStart;

    public ProtobufReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _limit = data.Length;
    }

    public readonly int Position => _position;

    public readonly bool HasMore => _position < _limit;

    /// <summary>Reads a field tag; field number 0 and tags beyond 32 bits are malformed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ReadTag()
    {
        var position = _position;
        _tagStart = position;
        if (position < _limit)
        {
            uint b = _data[position];
            if (b - 8 < 0x78)
            {
                _position = position + 1;
                return b;
            }
        }
        return ReadTagSlow();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private uint ReadTagSlow()
    {
        var value = ReadVarint64();
        if (value > uint.MaxValue) Throw("field tag does not fit in 32 bits", _tagStart);
        if (value >> 3 == 0) Throw("field number 0 is not allowed", _tagStart);
        return (uint)value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadVarint64()
    {
        var position = _position;
        if (position < _limit)
        {
            uint b = _data[position];
            if (b < 0x80)
            {
                _position = position + 1;
                return b;
            }
        }
        return ReadVarint64Slow();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private ulong ReadVarint64Slow()
    {
        var start = _position;
        switch (Varint.TryRead(_data, ref _position, _limit, out var value))
        {
            case VarintStatus.Done:
                return value;
            case VarintStatus.Truncated:
                Throw("varint runs past the end of the enclosing message", start);
                break;
            default:
                Throw("varint is longer than 64 bits", start);
                break;
        }
        return 0;
    }

    /// <summary>A uint32 field: as in every protobuf implementation, a wider varint is truncated to its low 32 bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ReadUInt32() => (uint)ReadVarint64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadFixed64()
    {
        var position = _position;
        if (_limit - position < 8) Throw("64-bit value runs past the end of the enclosing message", position);
        _position = position + 8;
        return BinaryPrimitives.ReadUInt64LittleEndian(_data.Slice(position, 8));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ReadFixed32()
    {
        var position = _position;
        if (_limit - position < 4) Throw("32-bit value runs past the end of the enclosing message", position);
        _position = position + 4;
        return BinaryPrimitives.ReadUInt32LittleEndian(_data.Slice(position, 4));
    }

    /// <summary>The payload of a length-delimited field (string, bytes, or a message to read elsewhere).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var length = ReadLength();
        var start = _position;
        _position = start + length;
        return _data.Slice(start, length);
    }

    /// <summary>Offset of the first payload byte of the length-delimited field just read.</summary>
    public readonly int OffsetOf(ReadOnlySpan<byte> payload) => _position - payload.Length;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ReadLength()
    {
        var lengthStart = _position;
        var length = ReadVarint64();
        if (length > (ulong)(_limit - _position))
            ThrowLengthPastEnd(length, lengthStart);
        return (int)length;
    }

    /// <summary>Enters an embedded message: reads its length and limits reads to it. Returns the limit to restore.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int PushLimit()
    {
        var length = ReadLength();
        var outer = _limit;
        _limit = _position + length;
        return outer;
    }

    /// <summary>The unread bytes of the message entered last with <see cref="PushLimit"/>.</summary>
    public readonly ReadOnlySpan<byte> Remaining => _data[_position.._limit];

    /// <summary>Skips the rest of the message entered last with <see cref="PushLimit"/>.</summary>
    public void SkipToLimit() => _position = _limit;

    /// <summary>Leaves an embedded message entered with <see cref="PushLimit"/>, which must have been read to its end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PopLimit(int outer) => _limit = outer;

    /// <summary>Moves back to an earlier offset inside the current message (for a second pass over its fields).</summary>
    public void Rewind(int position) => _position = position;

    /// <summary>
    /// Skips a field this decoder does not know, as protobuf requires for forward compatibility. A
    /// field number in <paramref name="knownFields"/> (bit n set for field n) with a wire type
    /// other than the declared one is malformed and rejected instead.
    /// </summary>
    public void SkipUnknownField(uint tag, uint knownFields, string message)
    {
        var field = tag >> 3;
        if (field < 32 && (knownFields & (1u << (int)field)) != 0)
            Throw($"field {field} of {message} has wire type {WireType.Describe(tag & 7)}, which does not match its declared type", _tagStart);
        SkipField(tag, 0);
    }

    /// <summary>Skips a field whose tag was just read, whatever its wire type.</summary>
    public void SkipField(uint tag, int groupDepth)
    {
        switch (tag & 7)
        {
            case WireType.Varint:
                ReadVarint64();
                break;
            case WireType.Fixed64:
                ReadFixed64();
                break;
            case WireType.LengthDelimited:
                var length = ReadLength();
                _position += length;
                break;
            case WireType.Fixed32:
                ReadFixed32();
                break;
            case WireType.StartGroup:
                SkipGroup(tag >> 3, groupDepth + 1);
                break;
            case WireType.EndGroup:
                Throw($"end-group marker for field {tag >> 3} without a matching start-group", _tagStart);
                break;
            default:
                Throw($"field {tag >> 3} has wire type {WireType.Describe(tag & 7)}", _tagStart);
                break;
        }
    }

    private void SkipGroup(uint field, int depth)
    {
        var start = _tagStart;
        if (depth > MaxGroupDepth) Throw($"groups nested deeper than {MaxGroupDepth} levels", start);
        while (true)
        {
            if (_position >= _limit) Throw($"group for field {field} is not closed before the end of the enclosing message", start);
            var tag = ReadTag();
            if ((tag & 7) == WireType.EndGroup)
            {
                if (tag >> 3 != field) Throw($"end-group marker for field {tag >> 3} closes the group opened by field {field}", _tagStart);
                return;
            }
            SkipField(tag, depth);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowLengthPastEnd(ulong length, int offset) =>
        Throw($"length {length} runs past the end of the enclosing message ({_limit - _position} bytes remain); the body is truncated or not an OTLP protobuf message", offset);

    /// <summary>Reports malformed input at <paramref name="offset"/>.</summary>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Throw(string problem, int offset) =>
        throw new ProtocolException($"Malformed OTLP protobuf at byte offset {offset}: {problem}.");

    /// <summary>Offset of the tag of the field being read, for messages about its value.</summary>
    public readonly int TagStart => _tagStart;
}
