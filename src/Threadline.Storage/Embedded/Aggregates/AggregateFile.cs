using System.Buffers.Binary;
using System.Globalization;
using Threadline.Core.Model;
using Threadline.Storage.Aggregates;
using Threadline.Storage.Embedded.Format;
using Threadline.Storage.Embedded.Wal;

namespace Threadline.Storage.Embedded.Aggregates;

/// <summary>
/// One <see cref="AggregateCut"/> on disk: <c>aggregates/&lt;from&gt;-&lt;to&gt;.agg</c> (log segment
/// numbers, 16 digits each). Layout: 8-byte magic, int32 format version, the cut (varints), and a
/// CRC32C of everything before it. A cut is first written as <c>.agg.pending</c> naming the block
/// it belongs to and renamed to <c>.agg</c> once that block is durable: the rename is the commit
/// point that makes its log segments obsolete.
/// </summary>
internal static class AggregateFile
{
    public const string Extension = ".agg";
    public const string PendingExtension = ".agg.pending";

    private static ReadOnlySpan<byte> Magic => "TLAGGR\r\n"u8;

    public static string FileName(long fromSegment, long toSegment, bool pending) =>
        fromSegment.ToString("D16", CultureInfo.InvariantCulture) + "-" + toSegment.ToString("D16", CultureInfo.InvariantCulture)
        + (pending ? PendingExtension : Extension);

    public static byte[] Encode(AggregateCut cut, string blockId)
    {
        var writer = new WalBufferWriter(1024);
        Magic.CopyTo(writer.Reserve(8));
        writer.WriteFixed32((uint)StorageFormat.WalFormatVersion);
        writer.WriteVarint((ulong)cut.FromSegment);
        writer.WriteVarint((ulong)cut.ToSegment);
        writer.WriteString(blockId);
        writer.WriteVarint((ulong)cut.Metrics.Count);
        foreach (var entry in cut.Metrics)
        {
            writer.WriteSignedVarint(entry.Minute);
            writer.WriteString(entry.Key.ServiceName);
            writer.WriteString(entry.Key.SpanName);
            writer.WriteByte((byte)entry.Key.Kind);
            writer.WriteByte((byte)entry.Key.StatusCode);
            WriteTally(writer, entry.Tally);
        }
        writer.WriteVarint((ulong)cut.Edges.Count);
        foreach (var entry in cut.Edges)
        {
            writer.WriteSignedVarint(entry.Minute);
            writer.WriteString(entry.Key.Caller);
            writer.WriteString(entry.Key.Callee);
            writer.WriteByte((byte)entry.Key.ConnectionType);
            WriteTally(writer, entry.Tally);
        }
        writer.WriteFixed32(Crc32C.Compute(writer.WrittenSpan));
        return writer.WrittenSpan.ToArray();
    }

    /// <exception cref="StorageCorruptionException">Bad magic, checksum or content, with the offset.</exception>
    /// <exception cref="UnsupportedFormatVersionException">Another format version.</exception>
    public static (AggregateCut Cut, string BlockId) Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 16 || !bytes.AsSpan(0, 8).SequenceEqual(Magic))
            throw new StorageCorruptionException(path, 0, "not a Threadline aggregates file (bad magic)");
        var body = bytes.AsSpan(0, bytes.Length - 4);
        if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4)) != Crc32C.Compute(body))
            throw new StorageCorruptionException(path, bytes.Length - 4, "aggregates file checksum mismatch");
        var version = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));
        if (!StorageFormat.ReadableWalVersions.Contains(version))
            throw new UnsupportedFormatVersionException(path, version, StorageFormat.ReadableWalVersions);
        var reader = new WalBufferReader(body[12..]);
        try
        {
            var from = (long)reader.ReadVarint();
            var to = (long)reader.ReadVarint();
            var blockId = reader.ReadString();
            var metrics = new MinuteEntry<SpanMetricsKey>[reader.ReadCount()];
            for (var i = 0; i < metrics.Length; i++)
            {
                var minute = reader.ReadSignedVarint();
                var service = reader.ReadString();
                var name = reader.ReadString();
                var kind = (SpanKind)reader.ReadByte();
                var status = (StatusCode)reader.ReadByte();
                metrics[i] = new(minute, new SpanMetricsKey(service, name, kind, status), ReadTally(ref reader));
            }
            var edges = new MinuteEntry<ServiceGraphKey>[reader.ReadCount()];
            for (var i = 0; i < edges.Length; i++)
            {
                var minute = reader.ReadSignedVarint();
                var caller = reader.ReadString();
                var callee = reader.ReadString();
                var type = (ConnectionType)reader.ReadByte();
                // Values are only added, so a file of an older server reads as it is; an unknown one is damage, not a newer format.
                if (!Enum.IsDefined(type)) throw reader.Invalid($"unknown service-graph connection type {(byte)type}");
                edges[i] = new(minute, new ServiceGraphKey(caller, callee, type), ReadTally(ref reader));
            }
            if (!reader.AtEnd) throw reader.Invalid("bytes left after the last entry");
            return (new AggregateCut(from, to, metrics, edges), blockId);
        }
        catch (InvalidDataException ex)
        {
            throw new StorageCorruptionException(path, 12 + reader.Position, $"aggregates file does not decode ({ex.Message})", ex);
        }
    }

    private static void WriteTally(WalBufferWriter writer, TallyRecord tally)
    {
        writer.WriteVarint((ulong)tally.Count);
        writer.WriteVarint((ulong)tally.Errors);
        writer.WriteVarint((ulong)tally.Durations.ZeroCount);
        writer.WriteFixed64((ulong)BitConverter.DoubleToInt64Bits(tally.Durations.SumNanos));
        var buckets = tally.Durations.Buckets().ToArray();
        writer.WriteVarint((ulong)buckets.Length);
        foreach (var (index, count) in buckets)
        {
            writer.WriteSignedVarint(index);
            writer.WriteVarint((ulong)count);
        }
    }

    private static TallyRecord ReadTally(ref WalBufferReader reader)
    {
        var count = (long)reader.ReadVarint();
        var errors = (long)reader.ReadVarint();
        var zeros = (long)reader.ReadVarint();
        var sum = BitConverter.Int64BitsToDouble((long)reader.ReadFixed64());
        var buckets = new (int, long)[reader.ReadCount()];
        for (var i = 0; i < buckets.Length; i++)
        {
            var index = reader.ReadSignedVarint();
            if (index is < -4096 or > 4096) throw reader.Invalid($"sketch bucket {index} out of range");
            buckets[i] = ((int)index, (long)reader.ReadVarint());
        }
        return new TallyRecord(count, errors, DurationSketch.Restore(zeros, sum, buckets));
    }
}
