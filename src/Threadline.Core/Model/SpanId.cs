using System.Buffers.Binary;

namespace Threadline.Core.Model;

/// <summary>A 64-bit span identifier. <see cref="Empty"/> (all zero) means "no span" (for a root's parent).</summary>
public readonly struct SpanId : IEquatable<SpanId>, IComparable<SpanId>, ISpanFormattable
{
    public const int ByteLength = 8;
    public const int HexLength = 16;

    public static readonly SpanId Empty;

    public SpanId(ulong value) => Value = value;

    /// <summary>The id as a big-endian integer.</summary>
    public ulong Value { get; }

    public bool IsEmpty => Value == 0;

    public static SpanId FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != ByteLength)
            throw new ArgumentException($"A span id is {ByteLength} bytes; got {bytes.Length}.", nameof(bytes));
        return new SpanId(BinaryPrimitives.ReadUInt64BigEndian(bytes));
    }

    public void WriteBytes(Span<byte> destination) => BinaryPrimitives.WriteUInt64BigEndian(destination, Value);

    public byte[] ToBytes()
    {
        var bytes = new byte[ByteLength];
        WriteBytes(bytes);
        return bytes;
    }

    /// <summary>Parses exactly 16 hex digits (either case).</summary>
    public static bool TryParse(ReadOnlySpan<char> hex, out SpanId id)
    {
        var ok = HexCodec.TryParseUInt64(hex, out var value);
        id = new SpanId(value);
        return ok;
    }

    public static bool TryParse(ReadOnlySpan<byte> utf8Hex, out SpanId id)
    {
        var ok = HexCodec.TryParseUInt64(utf8Hex, out var value);
        id = new SpanId(value);
        return ok;
    }

    public static SpanId Parse(string hex) =>
        TryParse(hex, out var id) ? id : throw new FormatException($"'{hex}' is not a span id: expected 16 hex digits.");

    public override string ToString()
    {
        Span<char> chars = stackalloc char[HexLength];
        HexCodec.Format(Value, chars);
        return new string(chars);
    }

    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        if (destination.Length < HexLength)
        {
            charsWritten = 0;
            return false;
        }
        HexCodec.Format(Value, destination);
        charsWritten = HexLength;
        return true;
    }

    public bool Equals(SpanId other) => Value == other.Value;
    public override bool Equals(object? obj) => obj is SpanId other && Equals(other);
    public override int GetHashCode() => Value.GetHashCode();
    public int CompareTo(SpanId other) => Value.CompareTo(other.Value);
    public static bool operator ==(SpanId left, SpanId right) => left.Equals(right);
    public static bool operator !=(SpanId left, SpanId right) => !left.Equals(right);
    public static bool operator <(SpanId left, SpanId right) => left.CompareTo(right) < 0;
    public static bool operator >(SpanId left, SpanId right) => left.CompareTo(right) > 0;
    public static bool operator <=(SpanId left, SpanId right) => left.CompareTo(right) <= 0;
    public static bool operator >=(SpanId left, SpanId right) => left.CompareTo(right) >= 0;
}
