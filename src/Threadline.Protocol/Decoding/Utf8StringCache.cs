using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Threadline.Protocol.Decoding;

/// <summary>
/// Turns UTF-8 bytes into strings, handing back the same instance for short ASCII strings seen
/// before. A batch of 100 spans repeats the same dozen attribute keys and a handful of values
/// ("GET", "postgresql"); interning them removes most string allocations from decoding.
/// </summary>
/// <remarks>
/// Direct-mapped and fixed-size, so hostile input can only evict entries, never grow memory.
/// Only ASCII is cached because an ASCII string can be compared with its UTF-8 bytes without
/// transcoding; non-ASCII keys are rare enough to simply allocate.
/// </remarks>
internal sealed class Utf8StringCache
{
    /// <summary>Longer strings are almost always unique (URLs, statements) and are not cached.</summary>
    public const int MaxCachedLength = 64;

    private const int SlotCount = 4096;

    private readonly string?[] _slots = new string?[SlotCount];

    /// <summary>Decodes <paramref name="utf8"/>; false when the bytes are not valid UTF-8.</summary>
    public bool TryGetString(ReadOnlySpan<byte> utf8, out string value)
    {
        if (utf8.IsEmpty)
        {
            value = string.Empty;
            return true;
        }
        if (utf8.Length > MaxCachedLength)
            return Utf8Text.TryDecode(utf8, out value);

        var slot = (int)(Hash(utf8) & (SlotCount - 1));
        var cached = _slots[slot];
        if (cached is not null && cached.Length == utf8.Length && Ascii.Equals(utf8, cached))
        {
            value = cached;
            return true;
        }
        if (!Ascii.IsValid(utf8))
            return Utf8Text.TryDecode(utf8, out value);

        value = Encoding.ASCII.GetString(utf8);
        _slots[slot] = value;
        return true;
    }

    /// <summary>
    /// A cheap hash over at most three 8-byte windows (start, middle, end) plus the length. Two
    /// strings that differ only outside the windows share a slot and evict each other, which
    /// costs an allocation, never a wrong answer: a hit is always confirmed byte by byte.
    /// </summary>
    private static uint Hash(ReadOnlySpan<byte> bytes)
    {
        const ulong Multiplier = 0x9E3779B97F4A7C15;
        var length = bytes.Length;
        ulong hash;
        if (length >= 8)
        {
            hash = (BinaryPrimitives.ReadUInt64LittleEndian(bytes) ^ (ulong)length) * Multiplier;
            hash = (ulong.RotateLeft(hash, 29) ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes[(length - 8)..])) * Multiplier;
            if (length > 16)
                hash = (ulong.RotateLeft(hash, 29) ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes[((length >> 1) - 4)..])) * Multiplier;
        }
        else if (length >= 4)
        {
            var word = ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(bytes) << 32) | BinaryPrimitives.ReadUInt32LittleEndian(bytes[(length - 4)..]);
            hash = (word ^ (ulong)length) * Multiplier;
        }
        else
        {
            var word = bytes[0] | ((ulong)bytes[length >> 1] << 8) | ((ulong)bytes[length - 1] << 16);
            hash = (word ^ ((ulong)length << 24)) * Multiplier;
        }
        return (uint)(hash >> 40);
    }
}

/// <summary>Strict UTF-8 decoding: invalid input is reported, never replaced with U+FFFD.</summary>
internal static class Utf8Text
{
    public static bool TryDecode(ReadOnlySpan<byte> utf8, out string value)
    {
        if (!Utf8.IsValid(utf8))
        {
            value = string.Empty;
            return false;
        }
        value = Encoding.UTF8.GetString(utf8);
        return true;
    }
}
