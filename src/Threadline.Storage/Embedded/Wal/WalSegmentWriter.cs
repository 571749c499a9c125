using Microsoft.Win32.SafeHandles;

namespace Threadline.Storage.Embedded.Wal;

/// <summary>
/// The segment being appended to. Every append is written and fsynced before it returns; a
/// failed append (disk full, I/O error) cuts the file back to its last whole record, so the next
/// append (a retry once space returns) never follows half a record.
/// </summary>
internal sealed class WalSegmentWriter : IDisposable
{
    private readonly SafeFileHandle _handle;

    private WalSegmentWriter(string path, long sequence, SafeFileHandle handle, long length)
    {
        Path = path;
        Sequence = sequence;
        _handle = handle;
        Length = length;
    }

    public string Path { get; }
    public long Sequence { get; }

    /// <summary>Bytes of whole, fsynced records (and the header).</summary>
    public long Length { get; private set; }

    /// <summary>Creates a segment and makes its header and directory entry durable.</summary>
    public static WalSegmentWriter Create(string directory, long sequence)
    {
        var path = System.IO.Path.Combine(directory, WalSegment.FileName(sequence));
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            var header = WalSegment.Header();
            RandomAccess.Write(handle, header, 0);
            RandomAccess.FlushToDisk(handle);
            DurableFiles.SyncDirectory(directory);
            return new WalSegmentWriter(path, sequence, handle, header.Length);
        }
        catch
        {
            handle.Dispose();
            TryDelete(path);
            throw;
        }
    }

    /// <summary>Writes the records and fsyncs them.</summary>
    /// <exception cref="IOException">The write or the fsync failed; the file is back to <see cref="Length"/> where possible.</exception>
    public void Append(IReadOnlyList<ReadOnlyMemory<byte>> records, long byteCount)
    {
        try
        {
            RandomAccess.Write(_handle, records, Length);
            RandomAccess.FlushToDisk(_handle);
            Length += byteCount;
        }
        catch (IOException)
        {
            TryTruncate();
            throw;
        }
        catch (UnauthorizedAccessException ex)
        {
            TryTruncate();
            throw new IOException($"{Path}: {ex.Message}", ex);
        }
    }

    public void Dispose() => _handle.Dispose();

    private void TryTruncate()
    {
        try
        {
            RandomAccess.SetLength(_handle, Length);
        }
        catch (IOException)
        {
            // The replay would cut the torn tail anyway; the next append retries the truncation
            // by writing at Length, over whatever was left.
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}
