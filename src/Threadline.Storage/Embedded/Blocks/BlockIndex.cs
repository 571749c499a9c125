using System.Buffers.Binary;
using Threadline.Core.Model;
using Threadline.Storage.Embedded.Format;

namespace Threadline.Storage.Embedded.Blocks;

/// <summary>Where one trace's spans are in data.parquet: a trace never spans two row groups.</summary>
internal readonly record struct TraceEntry(TraceId TraceId, int RowGroup, int FirstRow, int SpanCount);

/// <summary>
/// One row group of data.parquet: its byte range and checksum (checked before decoding), its
/// start-time range, a bloom filter of its (attribute key, value) pairs and the value ranges of
/// its range-tested fields for pruning (<see cref="Ranges"/> null in a version 1 block, which
/// has none: nothing is pruned by range there).
/// </summary>
internal sealed record RowGroupEntry(long Offset, long Length, uint Crc32C, int RowCount, ulong MinStartUnixNano, ulong MaxStartUnixNano, BloomFilter Values, RowGroupRanges? Ranges);

/// <summary>
/// index.bin: the trace-id bloom filter, the sorted trace ids with their row groups, and the
/// row groups' byte ranges, checksums and value blooms; see docs/storage-format.md for the bytes.
/// </summary>
internal sealed class BlockIndex
{
    public static ReadOnlySpan<byte> Magic => "TLBI"u8;

    private const int TraceEntrySize = 16 + 4 + 4 + 4;
    private const int RowGroupFixedSize = 8 + 8 + 4 + 4 + 8 + 8 + 4;

    public required BloomFilter TraceBloom { get; init; }
    public required TraceEntry[] Traces { get; init; }
    public required RowGroupEntry[] RowGroups { get; init; }

    /// <summary>The bytes of data.parquet outside every row group (leading magic, footer), checked on open.</summary>
    public required long DataLength { get; init; }

    /// <summary>The block format version the index was written with (1 has no ranges nor blob-key marks).</summary>
    public int FormatVersion { get; init; } = StorageFormat.BlockFormatVersion;
    public required uint FrameCrc32C { get; init; }

    /// <summary>
    /// The CRC-32C of the index's bytes before its trailer, as stored in the trailer; meta.json
    /// holds it too, tying the index to its block. (Not the checksum of the whole file: a CRC over
    /// data followed by its own CRC is the same constant for every index.)
    /// </summary>
    public uint Checksum { get; private init; }

    /// <summary>The <see cref="Checksum"/> of serialized index bytes.</summary>
    public static uint ChecksumOf(ReadOnlySpan<byte> serialized) => BinaryPrimitives.ReadUInt32LittleEndian(serialized[^8..]);

    public int Find(TraceId id)
    {
        int lo = 0, hi = Traces.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var order = Traces[mid].TraceId.CompareTo(id);
            if (order == 0) return mid;
            if (order < 0) lo = mid + 1;
            else hi = mid - 1;
        }
        return -1;
    }

    public static ulong TraceHash(TraceId id) => BloomFilter.Mix(id.High ^ BloomFilter.Mix(id.Low));

    public byte[] Serialize()
    {
        var size = 4 + 4 + 4 + 4 + 8 + 4 + 4 + TraceBloom.ByteLength + Traces.Length * TraceEntrySize
            + RowGroups.Sum(g => RowGroupFixedSize + g.Values.ByteLength + (g.Ranges ?? throw new InvalidOperationException("A row group without ranges.")).ByteLength) + 4 + 4;
        var bytes = new byte[size];
        var w = bytes.AsSpan();
        Magic.CopyTo(w);
        var at = 4;
        BinaryPrimitives.WriteInt32LittleEndian(w[at..], StorageFormat.BlockFormatVersion); at += 4;
        BinaryPrimitives.WriteInt32LittleEndian(w[at..], Traces.Length); at += 4;
        BinaryPrimitives.WriteInt32LittleEndian(w[at..], RowGroups.Length); at += 4;
        BinaryPrimitives.WriteInt64LittleEndian(w[at..], DataLength); at += 8;
        BinaryPrimitives.WriteUInt32LittleEndian(w[at..], FrameCrc32C); at += 4;
        BinaryPrimitives.WriteInt32LittleEndian(w[at..], TraceBloom.ByteLength); at += 4;
        TraceBloom.WriteTo(w[at..]); at += TraceBloom.ByteLength;
        foreach (var t in Traces)
        {
            t.TraceId.WriteBytes(w[at..]); at += 16;
            BinaryPrimitives.WriteInt32LittleEndian(w[at..], t.RowGroup); at += 4;
            BinaryPrimitives.WriteInt32LittleEndian(w[at..], t.FirstRow); at += 4;
            BinaryPrimitives.WriteInt32LittleEndian(w[at..], t.SpanCount); at += 4;
        }
        foreach (var g in RowGroups)
        {
            BinaryPrimitives.WriteInt64LittleEndian(w[at..], g.Offset); at += 8;
            BinaryPrimitives.WriteInt64LittleEndian(w[at..], g.Length); at += 8;
            BinaryPrimitives.WriteUInt32LittleEndian(w[at..], g.Crc32C); at += 4;
            BinaryPrimitives.WriteInt32LittleEndian(w[at..], g.RowCount); at += 4;
            BinaryPrimitives.WriteUInt64LittleEndian(w[at..], g.MinStartUnixNano); at += 8;
            BinaryPrimitives.WriteUInt64LittleEndian(w[at..], g.MaxStartUnixNano); at += 8;
            BinaryPrimitives.WriteInt32LittleEndian(w[at..], g.Values.ByteLength); at += 4;
            g.Values.WriteTo(w[at..]); at += g.Values.ByteLength;
            at += g.Ranges!.WriteTo(w[at..]);
        }
        BinaryPrimitives.WriteUInt32LittleEndian(w[at..], Crc32C.Compute(w[..at])); at += 4;
        Magic.CopyTo(w[at..]);
        return bytes;
    }

    /// <summary>Parses index.bin; checks magic, version and the trailing checksum before reading anything else.</summary>
    public static BlockIndex Parse(string path, ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 4 + 4 + 8 || !bytes[..4].SequenceEqual(Magic))
            throw new StorageCorruptionException(path, 0, "not a Threadline block index (bad magic)");
        var body = bytes[..^8];
        if (!bytes[^4..].SequenceEqual(Magic))
            throw new StorageCorruptionException(path, bytes.Length - 4, "bad trailing magic (truncated index?)");
        var stored = BinaryPrimitives.ReadUInt32LittleEndian(bytes[^8..]);
        if (Crc32C.Compute(body) != stored)
        {
            // The checksum covers the whole index; a version this build does not know is still
            // worth naming when the header itself reads clean.
            throw new StorageCorruptionException(path, 0, $"checksum mismatch over bytes 0..{body.Length} (CRC-32C stored {stored:x8}, computed {Crc32C.Compute(body):x8})");
        }
        var version = BinaryPrimitives.ReadInt32LittleEndian(bytes[4..]);
        if (!StorageFormat.ReadableBlockVersions.Contains(version))
            throw new UnsupportedFormatVersionException(path, version, StorageFormat.ReadableBlockVersions);

        try
        {
            return ParseBody(body[8..], stored, version);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentOutOfRangeException or ArgumentException)
        {
            // Only a writer bug gets here: the checksum matched.
            throw new StorageCorruptionException(path, 8, "inconsistent index contents: " + e.Message, e);
        }
    }

    private static BlockIndex ParseBody(ReadOnlySpan<byte> r, uint checksum, int version)
    {
        var at = 0;
        var traceCount = ReadCount(r, ref at);
        var rowGroupCount = ReadCount(r, ref at);
        var dataLength = BinaryPrimitives.ReadInt64LittleEndian(r[at..]); at += 8;
        var frameCrc = BinaryPrimitives.ReadUInt32LittleEndian(r[at..]); at += 4;
        var bloomLength = ReadCount(r, ref at);
        var bloom = BloomFilter.ReadFrom(r.Slice(at, bloomLength)); at += bloomLength;
        if ((long)traceCount * TraceEntrySize > r.Length - at) throw new InvalidDataException($"{traceCount} traces do not fit the index.");
        var traces = new TraceEntry[traceCount];
        for (var i = 0; i < traceCount; i++)
        {
            var id = TraceId.FromBytes(r.Slice(at, 16)); at += 16;
            var group = ReadCount(r, ref at);
            var first = ReadCount(r, ref at);
            var count = ReadCount(r, ref at);
            if (group >= rowGroupCount) throw new InvalidDataException($"Trace {id} points at row group {group} of {rowGroupCount}.");
            traces[i] = new TraceEntry(id, group, first, count);
        }
        var groups = new RowGroupEntry[rowGroupCount];
        for (var i = 0; i < rowGroupCount; i++)
        {
            var offset = BinaryPrimitives.ReadInt64LittleEndian(r[at..]); at += 8;
            var length = BinaryPrimitives.ReadInt64LittleEndian(r[at..]); at += 8;
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(r[at..]); at += 4;
            var rows = ReadCount(r, ref at);
            var min = BinaryPrimitives.ReadUInt64LittleEndian(r[at..]); at += 8;
            var max = BinaryPrimitives.ReadUInt64LittleEndian(r[at..]); at += 8;
            var valuesLength = ReadCount(r, ref at);
            var values = BloomFilter.ReadFrom(r.Slice(at, valuesLength)); at += valuesLength;
            var ranges = version >= 2 ? RowGroupRanges.ReadFrom(r, ref at) : null;
            if (offset < 0 || length < 0 || offset + length > dataLength) throw new InvalidDataException($"Row group {i} lies outside data.parquet.");
            groups[i] = new RowGroupEntry(offset, length, crc, rows, min, max, values, ranges);
        }
        if (at != r.Length) throw new InvalidDataException($"{r.Length - at} unexpected bytes after the row groups.");
        return new BlockIndex { TraceBloom = bloom, Traces = traces, RowGroups = groups, DataLength = dataLength, FrameCrc32C = frameCrc, Checksum = checksum, FormatVersion = version };
    }

    private static int ReadCount(ReadOnlySpan<byte> r, ref int at)
    {
        var value = BinaryPrimitives.ReadInt32LittleEndian(r[at..]);
        at += 4;
        return value >= 0 ? value : throw new InvalidDataException($"Negative count {value}.");
    }
}
