using System.Buffers.Binary;
using System.Globalization;
using Threadline.Storage.Embedded.Format;

namespace Threadline.Storage.Embedded.Wal;

/// <summary>
/// The layout of one log segment file, <c>wal/&lt;sequence, 16 digits&gt;.wal</c>: a 16-byte
/// header (magic, format version, CRC32C of both), then records, each
/// <c>[u32 payload length][u32 CRC32C of length and payload][payload]</c>, little-endian. The
/// checksum covers the length so that a torn or flipped length is caught like a flipped payload.
/// </summary>
internal static class WalSegment
{
    public const int HeaderLength = 16;
    public const int RecordHeaderLength = 8;

    /// <summary>A length above this is corruption, not a record: no batch the server accepts comes near it.</summary>
    public const int MaxRecordBytes = 256 << 20;

    public const string Extension = ".wal";

    private static ReadOnlySpan<byte> Magic => "TLWAL\r\n\u001a"u8;

    public static string FileName(long sequence) => sequence.ToString("D16", CultureInfo.InvariantCulture) + Extension;

    public static bool TryParseSequence(string fileName, out long sequence)
    {
        sequence = 0;
        return fileName.Length == 16 + Extension.Length
            && fileName.EndsWith(Extension, StringComparison.Ordinal)
            && long.TryParse(fileName.AsSpan(0, 16), NumberStyles.None, CultureInfo.InvariantCulture, out sequence);
    }

    public static byte[] Header()
    {
        var header = new byte[HeaderLength];
        Magic.CopyTo(header);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), StorageFormat.WalFormatVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), Crc32C.Compute(header.AsSpan(0, 12)));
        return header;
    }

    /// <summary>The first payload byte of a version-2 record: spans appended to the store.</summary>
    public const byte StoredSpansRecord = 1;

    /// <summary>The first payload byte of a version-2 record: spans counted in the aggregates only, never stored.</summary>
    public const byte AggregatedSpansRecord = 2;

    /// <returns>The segment's format version.</returns>
    /// <exception cref="StorageCorruptionException">Bad magic or header checksum.</exception>
    /// <exception cref="UnsupportedFormatVersionException">A version this build does not read.</exception>
    public static int CheckHeader(string path, ReadOnlySpan<byte> header)
    {
        if (header.Length < HeaderLength) throw new StorageCorruptionException(path, header.Length, $"log segment header cut short ({header.Length} of {HeaderLength} bytes)");
        if (!header[..8].SequenceEqual(Magic)) throw new StorageCorruptionException(path, 0, "not a Threadline log segment (bad magic)");
        if (BinaryPrimitives.ReadUInt32LittleEndian(header[12..]) != Crc32C.Compute(header[..12]))
            throw new StorageCorruptionException(path, 12, "log segment header checksum mismatch");
        var version = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        if (!StorageFormat.ReadableWalVersions.Contains(version))
            throw new UnsupportedFormatVersionException(path, version, StorageFormat.ReadableWalVersions);
        return version;
    }

    /// <summary>Appends one framed record of <paramref name="kind"/> holding <paramref name="spans"/> to <paramref name="writer"/>.</summary>
    public static void WriteRecord(WalBufferWriter writer, IReadOnlyList<Core.Model.Span> spans, byte kind = StoredSpansRecord)
    {
        var start = writer.Length;
        writer.Reserve(RecordHeaderLength);
        writer.WriteByte(kind);
        SpanBatchCodec.Encode(spans, writer);
        var payloadLength = writer.Length - start - RecordHeaderLength;
        writer.PatchFixed32(start, (uint)payloadLength);
        var written = writer.WrittenSpan;
        var crc = Crc32C.Append(Crc32C.Start, written.Slice(start, 4));
        crc = Crc32C.Finish(Crc32C.Append(crc, written.Slice(start + RecordHeaderLength, payloadLength)));
        writer.PatchFixed32(start + 4, crc);
    }
}
