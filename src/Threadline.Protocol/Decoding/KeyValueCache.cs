using System.Buffers.Binary;
using Threadline.Core.Model;

namespace Threadline.Protocol.Decoding;

/// <summary>
/// Remembers whole decoded attributes by the bytes of their protobuf KeyValue message. Most
/// attributes of a batch repeat exactly (http.request.method=GET, db.system=postgresql, the same
/// user agent on every span), so a hit replaces parsing a key, a value and often a long string
/// allocation with one hash and one byte comparison.
/// </summary>
/// <remarks>
/// Only scalar values are cached: strings are immutable and so can be shared by many spans,
/// whereas arrays and byte arrays could be modified through one span and show up in another.
/// An attribute is stored only the second time its fingerprint is seen, so unique attributes
/// (ids, URLs with ids) cost a hash but never an allocation. Direct-mapped and fixed-size: hostile
/// input can evict entries but not grow memory.
/// </remarks>
internal sealed class KeyValueCache
{
    /// <summary>Longer messages are rarely repeated byte for byte and would make the cache costly to hold.</summary>
    public const int MaxMessageLength = 256;

    private const int SlotCount = 1024;

    private readonly Entry?[] _entries = new Entry?[SlotCount];
    private readonly ulong[] _fingerprints = new ulong[SlotCount];

    private sealed record Entry(byte[] Message, KeyValue Attribute);

    /// <summary>The attribute decoded earlier from exactly these bytes, if any.</summary>
    public bool TryGet(ReadOnlySpan<byte> message, ulong hash, out KeyValue attribute)
    {
        var entry = _entries[(int)(hash >> 54)];
        if (entry is not null && message.SequenceEqual(entry.Message))
        {
            attribute = entry.Attribute;
            return true;
        }
        attribute = default;
        return false;
    }

    /// <summary>Offers a freshly decoded attribute; kept if it is a scalar whose bytes were seen before.</summary>
    public void Offer(ReadOnlySpan<byte> message, ulong hash, KeyValue attribute)
    {
        if (attribute.Value.Type is AttributeType.Array or AttributeType.KeyValueList or AttributeType.Bytes) return;
        var slot = (int)(hash >> 54);
        if (_fingerprints[slot] != hash)
        {
            _fingerprints[slot] = hash;
            return;
        }
        _entries[slot] = new Entry(message.ToArray(), attribute);
    }

    /// <summary>
    /// A hash over the length and three 8-byte windows (start, middle, end): enough to tell apart
    /// attributes that differ in key or value, while a hit is always confirmed byte by byte.
    /// </summary>
    public static ulong Hash(ReadOnlySpan<byte> message)
    {
        const ulong Multiplier = 0x9E3779B97F4A7C15;
        var length = message.Length;
        if (length < 8)
        {
            ulong word = (ulong)length << 56;
            for (var i = 0; i < length; i++) word |= (ulong)message[i] << (i * 8);
            return (word ^ (word >> 29)) * Multiplier;
        }
        var hash = (BinaryPrimitives.ReadUInt64LittleEndian(message) ^ ((ulong)length << 48)) * Multiplier;
        hash = (ulong.RotateLeft(hash, 29) ^ BinaryPrimitives.ReadUInt64LittleEndian(message[(length - 8)..])) * Multiplier;
        hash = (ulong.RotateLeft(hash, 29) ^ BinaryPrimitives.ReadUInt64LittleEndian(message[((length >> 1) - 4)..])) * Multiplier;
        return hash ^ (hash >> 31);
    }
}
