using System.Buffers.Binary;
using System.Numerics;

namespace Threadline.Storage.Embedded.Blocks;

/// <summary>
/// A plain bloom filter over 64-bit hashes: no false negatives, about 1 % false positives at
/// 10 bits per entry. Probes are derived from one hash by double hashing (Kirsch–Mitzenmacher).
/// </summary>
internal sealed class BloomFilter
{
    private const int Probes = 7;

    private readonly ulong[] _bits;

    private BloomFilter(ulong[] bits) => _bits = bits;

    public static BloomFilter ForEntries(int entries, int bitsPerEntry)
    {
        var bits = Math.Max(64, (long)entries * bitsPerEntry);
        return new BloomFilter(new ulong[(bits + 63) / 64]);
    }

    public int ByteLength => _bits.Length * 8;

    public void Add(ulong hash)
    {
        var (h1, h2) = Split(hash);
        var m = (ulong)_bits.Length * 64;
        for (var i = 0; i < Probes; i++)
        {
            var bit = (h1 + (ulong)i * h2) % m;
            _bits[bit >> 6] |= 1UL << (int)(bit & 63);
        }
    }

    public bool MightContain(ulong hash)
    {
        var (h1, h2) = Split(hash);
        var m = (ulong)_bits.Length * 64;
        for (var i = 0; i < Probes; i++)
        {
            var bit = (h1 + (ulong)i * h2) % m;
            if ((_bits[bit >> 6] & (1UL << (int)(bit & 63))) == 0) return false;
        }
        return true;
    }

    public void WriteTo(Span<byte> destination)
    {
        for (var i = 0; i < _bits.Length; i++) BinaryPrimitives.WriteUInt64LittleEndian(destination[(i * 8)..], _bits[i]);
    }

    public static BloomFilter ReadFrom(ReadOnlySpan<byte> source)
    {
        if (source.Length == 0 || source.Length % 8 != 0) throw new InvalidDataException($"A bloom filter of {source.Length} bytes is not a whole number of 64-bit words.");
        var bits = new ulong[source.Length / 8];
        for (var i = 0; i < bits.Length; i++) bits[i] = BinaryPrimitives.ReadUInt64LittleEndian(source[(i * 8)..]);
        return new BloomFilter(bits);
    }

    /// <summary>A stable 64-bit hash (persisted in index.bin, so never the runtime's randomised one): FNV-1a then a murmur3 finaliser.</summary>
    public static ulong Hash(ReadOnlySpan<byte> data)
    {
        var h = 0xcbf29ce484222325UL;
        foreach (var b in data) h = (h ^ b) * 0x100000001b3UL;
        return Mix(h);
    }

    /// <summary>The murmur3 64-bit finaliser: spreads every input bit over the output.</summary>
    public static ulong Mix(ulong h)
    {
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53UL;
        h ^= h >> 33;
        return h;
    }

    private static (ulong, ulong) Split(ulong hash)
    {
        // The second hash must be odd-ish and independent enough: rotate and mix.
        var h2 = BitOperations.RotateLeft(hash, 32) * 0x9E3779B97F4A7C15UL | 1;
        return (hash, h2);
    }
}
