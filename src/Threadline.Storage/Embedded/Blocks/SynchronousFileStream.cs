namespace Threadline.Storage.Embedded.Blocks;

/// <summary>
/// A file stream whose async reads and writes complete synchronously. Parquet.Net's API is
/// async, and a plain FileStream runs each async call as a thread-pool work item: one hop per
/// column chunk, costly on a busy two-core machine, for I/O that hits the page cache anyway.
/// Block reads and writes are synchronous by contract (the callers are the engine's background
/// work and short lookups), so they are done inline.
/// </summary>
internal sealed class SynchronousFileStream(FileStream file) : Stream
{
    public FileStream File { get; } = file;

    public override bool CanRead => File.CanRead;
    public override bool CanSeek => File.CanSeek;
    public override bool CanWrite => File.CanWrite;
    public override long Length => File.Length;

    public override long Position
    {
        get => File.Position;
        set => File.Position = value;
    }

    public override void Flush() => File.Flush();
    public override int Read(byte[] buffer, int offset, int count) => File.Read(buffer, offset, count);
    public override int Read(Span<byte> buffer) => File.Read(buffer);
    public override long Seek(long offset, SeekOrigin origin) => File.Seek(offset, origin);
    public override void SetLength(long value) => File.SetLength(value);
    public override void Write(byte[] buffer, int offset, int count) => File.Write(buffer, offset, count);
    public override void Write(ReadOnlySpan<byte> buffer) => File.Write(buffer);

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        File.Flush();
        return Task.CompletedTask;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(File.Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(File.Read(buffer, offset, count));
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        File.Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        File.Write(buffer, offset, count);
        return Task.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) File.Dispose();
        base.Dispose(disposing);
    }
}
