using System.Numerics;
using System.Runtime.CompilerServices;

namespace Threadline.Protobuf;

/// <summary>What <see cref="Varint.TryRead"/> found.</summary>
internal enum VarintStatus
{
    Done,

    /// <summary>The bytes ran out (at the limit) before a byte without the continuation bit.</summary>
    Truncated,

    /// <summary>The value does not fit in 64 bits.</summary>
    TooLong,
}

/// <summary>
/// Base-128 varints, the protobuf encoding of integers and lengths: 7 bits a byte, least
/// significant first, the high bit set on every byte but the last.
/// </summary>
/// <remarks>Linked as source into the SDK and Protocol (src/Shared), so neither references the other.</remarks>
internal static class Varint
{
    /// <summary>The most bytes a 64-bit varint takes.</summary>
    public const int MaxLength = 10;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Size(uint value) => (BitOperations.Log2(value | 1) / 7) + 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Size(ulong value) => (BitOperations.Log2(value | 1) / 7) + 1;

    /// <summary>
    /// Writes <paramref name="value"/> at <paramref name="position"/>, which the caller has made
    /// room for (<see cref="MaxLength"/> bytes, or <see cref="Size(ulong)"/>); returns the position after it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Write(byte[] buffer, int position, ulong value)
    {
        while (value >= 0x80)
        {
            buffer[position++] = (byte)(value | 0x80);
            value >>= 7;
        }
        buffer[position++] = (byte)value;
        return position;
    }

    /// <summary>
    /// Reads a varint at <paramref name="position"/> without reading at or past
    /// <paramref name="limit"/>. On <see cref="VarintStatus.Done"/>, <paramref name="position"/>
    /// moves past it; otherwise it is left where the varint starts.
    /// </summary>
    public static VarintStatus TryRead(ReadOnlySpan<byte> data, ref int position, int limit, out ulong value)
    {
        value = 0;
        var next = position;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (next >= limit) return VarintStatus.Truncated;
            uint b = data[next++];
            // The tenth byte may only carry the single remaining bit of a 64-bit value.
            if (shift == 63 && b > 1) return VarintStatus.TooLong;
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                position = next;
                return VarintStatus.Done;
            }
        }
        return VarintStatus.TooLong;
    }
}
