using System.Buffers;
using System.Collections.Concurrent;
using Parquet;
using Threadline.Core.Model;
using Threadline.Storage.Embedded.Format;

namespace Threadline.Storage.Embedded.Blocks;

/// <summary>
/// Reads row groups of data.parquet, each only after its bytes match the checksum in the index:
/// a flipped byte makes that row group fail with <see cref="StorageCorruptionException"/>, the
/// others stay readable. Parquet readers (each with the parsed footer) are pooled for reuse by
/// concurrent reads.
/// </summary>
internal sealed class BlockData : IDisposable
{
    private readonly string _path;
    private readonly BlockIndex _index;
    private readonly ConcurrentBag<PooledReader> _readers = [];
    private long _rowGroupsDecoded, _columnsDecoded;
    private bool _disposed;

    private BlockData(string path, BlockIndex index)
    {
        _path = path;
        _index = index;
    }

    public long RowGroupsDecoded => Interlocked.Read(ref _rowGroupsDecoded);

    /// <summary>Column chunks decoded by projected reads (a full decode is not counted).</summary>
    public long ColumnsDecoded => Interlocked.Read(ref _columnsDecoded);

    public static BlockData Open(string path, BlockIndex index)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1);
        }
        catch (FileNotFoundException e)
        {
            throw new StorageCorruptionException(path, 0, "file missing from the block", e);
        }
        using (file)
        {
            if (file.Length != index.DataLength)
                throw new StorageCorruptionException(path, Math.Min(file.Length, index.DataLength), $"length {file.Length} bytes, the index says {index.DataLength}");
            var frame = BlockBuilder.FrameChecksum(file, index.RowGroups, index.DataLength);
            if (frame != index.FrameCrc32C)
            {
                var tail = index.RowGroups.Length == 0 ? 0 : index.RowGroups[^1].Offset + index.RowGroups[^1].Length;
                throw new StorageCorruptionException(path, tail, "checksum mismatch in the Parquet header or footer");
            }
        }
        var data = new BlockData(path, index);
        var reader = data.Rent();
        var version = reader.Parquet.CustomMetadata.TryGetValue(BlockSchema.FormatVersionKey, out var text) && int.TryParse(text, out var v) ? v : -1;
        if (!StorageFormat.ReadableBlockVersions.Contains(version))
        {
            reader.Dispose();
            throw new UnsupportedFormatVersionException(path, version, StorageFormat.ReadableBlockVersions);
        }
        if (version != index.FormatVersion)
        {
            reader.Dispose();
            throw new StorageCorruptionException(path, 0, $"format version {version}, the index says {index.FormatVersion}");
        }
        if (reader.Parquet.RowGroupCount != index.RowGroups.Length)
        {
            reader.Dispose();
            throw new StorageCorruptionException(path, 0, $"{reader.Parquet.RowGroupCount} row groups, the index says {index.RowGroups.Length}");
        }
        data.Return(reader);
        return data;
    }

    /// <summary>Every span of the row group, in stored order (trace id, then start).</summary>
    public Span[] ReadRowGroup(int group, CancellationToken ct) => ReadRows(group, 0, _index.RowGroups[group].RowCount, ct);

    /// <summary>The spans of some consecutive rows of a row group (the whole group is checked and decoded).</summary>
    public Span[] ReadRows(int group, int first, int count, CancellationToken ct) =>
        Read(group, parquetGroup => RowGroupDecoder.ReadAsync(parquetGroup, first, count, ct), ct);

    /// <summary>
    /// Runs <paramref name="decode"/> on the columns of a row group it decodes as it needs them,
    /// after the group's bytes matched their checksum.
    /// </summary>
    public T ReadProjected<T>(int group, Func<ProjectedRowGroup, Task<T>> decode, CancellationToken ct) =>
        Read(group, parquetGroup => decode(new ProjectedRowGroup(parquetGroup, () => Interlocked.Increment(ref _columnsDecoded))), ct);

    private T Read<T>(int group, Func<ParquetRowGroupReader, Task<T>> decode, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var entry = _index.RowGroups[group];
        var reader = Rent();
        var bytes = ArrayPool<byte>.Shared.Rent(checked((int)entry.Length));
        try
        {
            var read = bytes.AsSpan(0, (int)entry.Length);
            RandomAccess.Read(reader.File.SafeFileHandle, read, entry.Offset);
            var crc = Crc32C.Compute(read);
            if (crc != entry.Crc32C)
                throw new StorageCorruptionException(_path, entry.Offset, $"checksum mismatch in row group {group} of {entry.Length} bytes (CRC-32C stored {entry.Crc32C:x8}, computed {crc:x8})");
            Interlocked.Increment(ref _rowGroupsDecoded);
            var parquetGroup = reader.Parquet.OpenRowGroupReader(group);
            if (parquetGroup.RowCount != entry.RowCount)
                throw new StorageCorruptionException(_path, entry.Offset, $"row group {group} has {parquetGroup.RowCount} rows, the index says {entry.RowCount}");
            try
            {
                ct.ThrowIfCancellationRequested();
                return decode(parquetGroup).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or IndexOutOfRangeException or InvalidOperationException && e is not StorageCorruptionException)
            {
                throw new StorageCorruptionException(_path, entry.Offset, $"row group {group} does not decode: {e.Message}", e);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
            Return(reader);
        }
    }

    private PooledReader Rent()
    {
        if (_readers.TryTake(out var reader)) return reader;
        var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16);
        try
        {
            return new PooledReader(ParquetReader.CreateAsync(new SynchronousFileStream(file), null, leaveStreamOpen: true).GetAwaiter().GetResult(), file);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            file.Dispose();
            throw new StorageCorruptionException(_path, 0, "the Parquet footer does not parse: " + e.Message, e);
        }
    }

    private void Return(PooledReader reader)
    {
        // A small pool: as many readers as threads reading at once, bounded by the processor count.
        if (!_disposed && _readers.Count < Environment.ProcessorCount * 2) _readers.Add(reader);
        else reader.Dispose();
    }

    public void Dispose()
    {
        _disposed = true;
        while (_readers.TryTake(out var reader)) reader.Dispose();
    }

    private sealed record PooledReader(ParquetReader Parquet, FileStream File) : IDisposable
    {
        public void Dispose()
        {
            Parquet.DisposeAsync().AsTask().GetAwaiter().GetResult();
            File.Dispose();
        }
    }
}
