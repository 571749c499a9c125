using System.Buffers.Binary;

namespace Threadline.Core.Model;

/// <summary>A 128-bit trace identifier. <see cref="Empty"/> (all zero) is invalid on the wire.</summary>
public readonly struct TraceId : IEquatable<TraceId>, IComparable<TraceId>, ISpanFormattable
{
    /// <summary>Number of bytes in the binary form.</summary>
    public const int ByteLength = 16;

    /// <summary>Number of characters in the hex form.</summary>
    public const int HexLength = 32;

    public static readonly TraceId Empty;

    public TraceId(ulong high, ulong low)
    {
        High = high;
        Low = low;
    }

    /// <summary>The first (most significant) 8 bytes, big-endian.</summary>
    public ulong High { get; }

    /// <summary>The last 8 bytes, big-endian. A 64-bit (Zipkin/B3) trace id lives here with High = 0.</summary>
    public ulong Low { get; }

    public bool IsEmpty => High == 0 && Low == 0;

    /// <summary>Reads the 16-byte big-endian binary form.</summary>
    public static TraceId FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != ByteLength)
            throw new ArgumentException($"A trace id is {ByteLength} bytes; got {bytes.Length}.", nameof(bytes));
        return new TraceId(BinaryPrimitives.ReadUInt64BigEndian(bytes), BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
    }

    public void WriteBytes(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, High);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], Low);
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[ByteLength];
        WriteBytes(bytes);
        return bytes;
    }

    /// <summary>Parses 32 hex digits (either case). 16 digits are accepted as a 64-bit id padded with zeros on the left.</summary>
    public static bool TryParse(ReadOnlySpan<char> hex, out TraceId id)
    {
        id = Empty;
        if (hex.Length == 16)
        {
            if (!HexCodec.TryParseUInt64(hex, out var low)) return false;
            id = new TraceId(0, low);
            return true;
        }
        if (hex.Length != HexLength) return false;
        if (!HexCodec.TryParseUInt64(hex[..16], out var h) || !HexCodec.TryParseUInt64(hex[16..], out var l)) return false;
        id = new TraceId(h, l);
        return true;
    }

    /// <summary>Parses UTF-8 hex digits, as <see cref="TryParse(ReadOnlySpan{char}, out TraceId)"/>.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Hex, out TraceId id)
    {
        id = Empty;
        if (utf8Hex.Length == 16)
        {
            if (!HexCodec.TryParseUInt64(utf8Hex, out var low)) return false;
            id = new TraceId(0, low);
            return true;
        }
        if (utf8Hex.Length != HexLength) return false;
        if (!HexCodec.TryParseUInt64(utf8Hex[..16], out var h) || !HexCodec.TryParseUInt64(utf8Hex[16..], out var l)) return false;
        id = new TraceId(h, l);
        return true;
    }

    public static TraceId Parse(string hex) =>
        TryParse(hex, out var id) ? id : throw new FormatException($"'{hex}' is not a trace id: expected 32 hex digits.");

    public override string ToString()
    {
        Span<char> chars = stackalloc char[HexLength];
        HexCodec.Format(High, chars);
        HexCodec.Format(Low, chars[16..]);
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
        HexCodec.Format(High, destination);
        HexCodec.Format(Low, destination[16..]);
        charsWritten = HexLength;
        return true;
    }

    public bool Equals(TraceId other) => High == other.High && Low == other.Low;
    public override bool Equals(object? obj) => obj is TraceId other && Equals(other);
    public override int GetHashCode() => (High ^ Low).GetHashCode();
    public int CompareTo(TraceId other) => High != other.High ? High.CompareTo(other.High) : Low.CompareTo(other.Low);
    public static bool operator ==(TraceId left, TraceId right) => left.Equals(right);
    public static bool operator !=(TraceId left, TraceId right) => !left.Equals(right);
    public static bool operator <(TraceId left, TraceId right) => left.CompareTo(right) < 0;
    public static bool operator >(TraceId left, TraceId right) => left.CompareTo(right) > 0;
    public static bool operator <=(TraceId left, TraceId right) => left.CompareTo(right) <= 0;
    public static bool operator >=(TraceId left, TraceId right) => left.CompareTo(right) >= 0;
}
