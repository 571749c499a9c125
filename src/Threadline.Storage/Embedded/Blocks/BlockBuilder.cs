using System.Security.Cryptography;
using Parquet;
using Threadline.Core.Model;
using Threadline.Storage.Embedded.Format;

namespace Threadline.Storage.Embedded.Blocks;

/// <summary>
/// Writes a block from traces given in trace-id order, one row group at a time, so that the
/// writer holds one row group of spans, never the whole block. Files go to a temporary
/// directory that <see cref="FinishAsync"/> syncs and renames into place.
/// </summary>
internal sealed class BlockBuilder : IAsyncDisposable
{
    // Bits per entry of the bloom filters: about 1 % false positives for trace ids, 2 % for values.
    private const int TraceBloomBits = 10;
    private const int ValueBloomBits = 8;

    private readonly string _blocksDirectory;
    private readonly string _blockId;
    private readonly string _temporary;
    private readonly BlockWriteOptions _options;
    private readonly FileStream _data;
    private readonly ParquetWriter _writer;
    private readonly RowGroupEncoder _encoder = new();

    private readonly List<Span> _pending = [];
    private readonly List<(int Left, int Right, int Parent)> _pendingNested = [];
    private readonly HashSet<ulong> _pendingValues = [];
    private readonly List<TraceEntry> _traces = [];
    private readonly List<(long Offset, long Length, int Rows, ulong MinStart, ulong MaxStart, BloomFilter Values, RowGroupRanges Ranges)> _rowGroups = [];
    private readonly BlockMetaBuilder _meta = new();
    private TraceId _lastTrace;
    private bool _finished;

    private BlockBuilder(string blocksDirectory, string blockId, BlockWriteOptions options, FileStream data, ParquetWriter writer, string temporary)
    {
        _blocksDirectory = blocksDirectory;
        _blockId = blockId;
        _options = options;
        _data = data;
        _writer = writer;
        _temporary = temporary;
    }

    public static async Task<BlockBuilder> CreateAsync(string blocksDirectory, string blockId, BlockWriteOptions options, CancellationToken ct)
    {
        if (options.RowGroupSpans < 1) throw new ArgumentOutOfRangeException(nameof(options), options.RowGroupSpans, "RowGroupSpans must be at least 1.");
        Directory.CreateDirectory(blocksDirectory);
        var temporary = Path.Combine(blocksDirectory, BlockDirectory.TemporaryPrefix + blockId);
        if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
        Directory.CreateDirectory(temporary);
        var data = new FileStream(Path.Combine(temporary, BlockDirectory.DataFileName), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        try
        {
            // zstd at its default level: 20 % smaller than snappy or LZ4 for spans, and unlike its
            // highest levels cheap enough to write in the background of ingest (docs/operations.md).
            var parquetOptions = new ParquetOptions { CompressionMethod = CompressionMethod.Zstd, CompressionLevel = System.IO.Compression.CompressionLevel.Optimal };
            foreach (var field in BlockSchema.DictionaryColumns) parquetOptions.ColumnEncodingHints[field.Name] = EncodingHint.Dictionary;
            foreach (var field in BlockSchema.DeltaColumns) parquetOptions.ColumnEncodingHints[field.Name] = EncodingHint.DeltaBinaryPacked;
            var writer = await ParquetWriter.CreateAsync(BlockSchema.Schema, new SynchronousFileStream(data), parquetOptions, append: false, ct);
            writer.CustomMetadata = new Dictionary<string, string>
            {
                [BlockSchema.FormatVersionKey] = StorageFormat.BlockFormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["threadline.block_id"] = blockId,
            };
            return new BlockBuilder(blocksDirectory, blockId, options, data, writer, temporary);
        }
        catch
        {
            await data.DisposeAsync();
            Directory.Delete(temporary, recursive: true);
            throw;
        }
    }

    /// <summary>A new sortable block id: the earliest start as 16 hex digits, a dash, 8 random hex digits.</summary>
    public static string NewBlockId(ulong minStartUnixNano) =>
        $"{minStartUnixNano:x16}-{RandomNumberGenerator.GetHexString(8, lowercase: true)}";

    /// <summary>Adds one whole trace (spans ordered by start); traces must come in increasing trace-id order.</summary>
    public async Task AddTraceAsync(IReadOnlyList<Span> spans, CancellationToken ct)
    {
        if (spans.Count == 0) return;
        var id = spans[0].TraceId;
        if (_traces.Count > 0 && id.CompareTo(_lastTrace) <= 0)
            throw new ArgumentException($"Traces must come in increasing trace-id order: {id} after {_lastTrace}.", nameof(spans));
        _lastTrace = id;
        // A trace never spans two row groups, so a lookup decodes one: cut before it when full.
        if (_pending.Count > 0 && _pending.Count + spans.Count > _options.RowGroupSpans) await FlushRowGroupAsync(ct);

        _traces.Add(new TraceEntry(id, _rowGroups.Count, _pending.Count, spans.Count));
        _pendingNested.AddRange(NestedSetNumbering.Number(spans));
        foreach (var span in spans)
        {
            if (span.TraceId != id) throw new ArgumentException($"Span {span.SpanId} of trace {span.TraceId} given with trace {id}.", nameof(spans));
            _pending.Add(span);
            _meta.Add(span);
            ValueKeys.AddSpan(_pendingValues, span);
        }
        _meta.AddTrace();
    }

    private async Task FlushRowGroupAsync(CancellationToken ct)
    {
        if (_pending.Count == 0) return;
        var offset = _data.Position;
        using (var rowGroup = _writer.CreateRowGroup())
        {
            await _encoder.WriteAsync(rowGroup, _pending, _pendingNested, ct);
            rowGroup.CompleteValidate();
        }
        var values = BloomFilter.ForEntries(_pendingValues.Count, ValueBloomBits);
        foreach (var hash in _pendingValues) values.Add(hash);
        ulong min = ulong.MaxValue, max = 0;
        foreach (var span in _pending)
        {
            min = Math.Min(min, span.StartTimeUnixNano);
            max = Math.Max(max, span.StartTimeUnixNano);
        }
        _rowGroups.Add((offset, _data.Position - offset, _pending.Count, min, max, values, RowGroupRanges.Of(_pending)));
        _pending.Clear();
        _pendingNested.Clear();
        _pendingValues.Clear();
    }

    /// <summary>Writes the footer, index and meta, syncs everything and renames the block into place.</summary>
    public async Task<Block> FinishAsync(CancellationToken ct)
    {
        if (_meta.SpanCount == 0) throw new ArgumentException("A block needs at least one span.");
        await FlushRowGroupAsync(ct);
        await _writer.DisposeAsync();
        await _data.FlushAsync(ct);
        _data.Flush(flushToDisk: true);

        // Checksums of what is on disk now (read back, so the index vouches for the stored bytes).
        var dataLength = _data.Length;
        var groups = new RowGroupEntry[_rowGroups.Count];
        for (var i = 0; i < groups.Length; i++)
        {
            var g = _rowGroups[i];
            groups[i] = new RowGroupEntry(g.Offset, g.Length, ChecksumOf(_data, g.Offset, g.Length), g.Rows, g.MinStart, g.MaxStart, g.Values, g.Ranges);
        }
        var frameCrc = FrameChecksum(_data, groups, dataLength);
        await _data.DisposeAsync();

        var traceBloom = BloomFilter.ForEntries(_traces.Count, TraceBloomBits);
        foreach (var t in _traces) traceBloom.Add(BlockIndex.TraceHash(t.TraceId));
        var index = new BlockIndex { TraceBloom = traceBloom, Traces = [.. _traces], RowGroups = groups, DataLength = dataLength, FrameCrc32C = frameCrc };
        var indexBytes = index.Serialize();
        await WriteSyncedAsync(Path.Combine(_temporary, BlockDirectory.IndexFileName), indexBytes, ct);

        var meta = _meta.Build(_blockId, _options.CompactionLevel, dataLength + indexBytes.Length, groups.Length);
        await WriteSyncedAsync(Path.Combine(_temporary, BlockDirectory.MetaFileName), BlockMetaFile.Serialize(meta, BlockIndex.ChecksumOf(indexBytes)), ct);
        DurableFiles.SyncDirectory(_temporary);

        var final = Path.Combine(_blocksDirectory, _blockId);
        Directory.Move(_temporary, final);
        DurableFiles.SyncDirectory(_blocksDirectory);
        _finished = true;
        return Block.Open(final);
    }

    /// <summary>The checksum of the bytes outside every row group: the leading magic and the footer.</summary>
    internal static uint FrameChecksum(FileStream data, IReadOnlyList<RowGroupEntry> groups, long dataLength)
    {
        var headEnd = groups.Count == 0 ? dataLength : groups[0].Offset;
        var tailStart = groups.Count == 0 ? dataLength : groups[^1].Offset + groups[^1].Length;
        var state = Crc32C.Append(Crc32C.Start, Read(data, 0, headEnd));
        state = Crc32C.Append(state, Read(data, tailStart, dataLength - tailStart));
        return Crc32C.Finish(state);
    }

    internal static uint ChecksumOf(FileStream data, long offset, long length) => Crc32C.Compute(Read(data, offset, length));

    private static byte[] Read(FileStream data, long offset, long length)
    {
        var bytes = new byte[length];
        RandomAccess.Read(data.SafeFileHandle, bytes, offset);
        return bytes;
    }

    private static async Task WriteSyncedAsync(string path, byte[] bytes, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        await file.WriteAsync(bytes, ct);
        await file.FlushAsync(ct);
        file.Flush(flushToDisk: true);
    }

    public async ValueTask DisposeAsync()
    {
        if (_finished) return;
        // Abandoned (an error or cancellation): leave nothing behind.
        try
        {
            await _writer.DisposeAsync();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
        {
            // The writer may be half-way through a row group; the directory is deleted anyway.
        }
        try
        {
            await _data.DisposeAsync();
        }
        catch (IOException)
        {
            // A full disk fails the final flush too; the file is deleted with the directory.
        }
        if (Directory.Exists(_temporary)) Directory.Delete(_temporary, recursive: true);
    }
}
