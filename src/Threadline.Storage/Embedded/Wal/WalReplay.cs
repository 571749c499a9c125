using System.Buffers.Binary;
using Threadline.Core.Model;
using Threadline.Storage.Embedded.Format;

namespace Threadline.Storage.Embedded.Wal;

/// <summary>
/// Reads a log segment from its start, handing each whole record's spans on, and stops at the
/// first record that is cut short or fails its checksum: what follows it cannot be trusted (its
/// length may be the damaged part), so it is reported and, for the segment being appended to
/// when the process stopped, cut off. A record is either replayed whole or not at all.
/// </summary>
internal static class WalReplay
{
    /// <summary>What replaying one segment found.</summary>
    /// <param name="ValidLength">Bytes of the header and the whole, checksummed records.</param>
    /// <param name="Records">Records replayed.</param>
    /// <param name="Spans">Spans in them.</param>
    /// <param name="Damage">Why replay stopped before the end of the file, with the offset; null when it read to the end.</param>
    public sealed record Result(long ValidLength, long Records, long Spans, StorageCorruptionException? Damage);

    /// <exception cref="UnsupportedFormatVersionException">The segment was written by another format version.</exception>
    /// <param name="path">The segment file.</param>
    /// <param name="onBatch">Receives each record's spans, and whether they are only counted in the aggregates (never stored).</param>
    public static Result ReadSegment(string path, Action<Span[], bool> onBatch)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        var fileLength = file.Length;
        var header = new byte[WalSegment.HeaderLength];
        var got = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        if (got < header.Length)
            return new Result(0, 0, 0, new StorageCorruptionException(path, got, $"log segment header cut short ({got} of {WalSegment.HeaderLength} bytes)"));
        int version;
        try
        {
            version = WalSegment.CheckHeader(path, header);
        }
        catch (StorageCorruptionException damage)
        {
            return new Result(0, 0, 0, damage);
        }

        long offset = WalSegment.HeaderLength, records = 0, spans = 0;
        var recordHeader = new byte[WalSegment.RecordHeaderLength];
        var payload = Array.Empty<byte>();
        while (offset < fileLength)
        {
            if (file.ReadAtLeast(recordHeader, recordHeader.Length, throwOnEndOfStream: false) < recordHeader.Length)
                return Stop(offset, "record header cut short (torn write)");
            var length = BinaryPrimitives.ReadUInt32LittleEndian(recordHeader);
            var expected = BinaryPrimitives.ReadUInt32LittleEndian(recordHeader.AsSpan(4));
            if (length > WalSegment.MaxRecordBytes)
                return Stop(offset, $"record length {length} over the {WalSegment.MaxRecordBytes}-byte limit (corrupt length)");
            if (length > fileLength - offset - WalSegment.RecordHeaderLength)
                return Stop(offset, $"record of {length} bytes cut short (torn write)");
            if (payload.Length < length) payload = new byte[Math.Max(length, Math.Min(payload.Length * 2, WalSegment.MaxRecordBytes))];
            file.ReadExactly(payload, 0, (int)length);
            var body = payload.AsSpan(0, (int)length);
            var crc = Crc32C.Finish(Crc32C.Append(Crc32C.Append(Crc32C.Start, recordHeader.AsSpan(0, 4)), body));
            if (crc != expected) return Stop(offset, "record checksum mismatch");
            Span[] batch;
            var aggregatesOnly = false;
            try
            {
                if (version != StorageFormat.WalFormatVersionWithoutKinds)
                {
                    if (body.IsEmpty) throw new InvalidDataException("empty record");
                    aggregatesOnly = body[0] switch
                    {
                        WalSegment.StoredSpansRecord => false,
                        WalSegment.AggregatedSpansRecord => true,
                        var kind => throw new InvalidDataException($"unknown record kind {kind}"),
                    };
                    body = body[1..];
                }
                batch = SpanBatchCodec.Decode(body);
            }
            catch (InvalidDataException ex)
            {
                return Stop(offset, $"record does not decode ({ex.Message})");
            }
            onBatch(batch, aggregatesOnly);
            records++;
            spans += batch.Length;
            offset += WalSegment.RecordHeaderLength + length;
        }
        return new Result(offset, records, spans, null);

        Result Stop(long at, string what) => new(at, records, spans, new StorageCorruptionException(path, at, what));
    }
}
