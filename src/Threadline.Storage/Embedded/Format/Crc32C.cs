using System.Buffers.Binary;
using System.Numerics;

namespace Threadline.Storage.Embedded.Format;

/// <summary>
/// CRC-32C (Castagnoli), the checksum of every embedded-engine file: hardware-accelerated via
/// <see cref="BitOperations.Crc32C(uint, ulong)"/>, and the one Parquet, ext4 and iSCSI use.
/// </summary>
public static class Crc32C
{
    /// <summary>The checksum of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Append(Start, data));

    /// <summary>The running state before any byte; feed it to <see cref="Append"/>, then <see cref="Finish"/>.</summary>
    public const uint Start = 0xFFFFFFFFu;

    /// <summary>Continues a running checksum over more bytes.</summary>
    public static uint Append(uint state, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        foreach (var b in data) state = BitOperations.Crc32C(state, b);
        return state;
    }

    /// <summary>The checksum of everything appended so far.</summary>
    public static uint Finish(uint state) => ~state;
}
