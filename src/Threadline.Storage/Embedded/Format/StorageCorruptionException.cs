namespace Threadline.Storage.Embedded.Format;

/// <summary>
/// A stored file does not hold what it should: a checksum mismatch, a bad magic number, a
/// length past the end. Names the file and the byte offset of the damaged part so an operator
/// can find it; the reader never returns data from that part.
/// </summary>
public sealed class StorageCorruptionException : IOException
{
    /// <param name="filePath">The damaged file.</param>
    /// <param name="offset">Byte offset in the file where the damaged part starts.</param>
    /// <param name="what">What was found wrong, e.g. "checksum mismatch in row group 3".</param>
    public StorageCorruptionException(string filePath, long offset, string what, Exception? inner = null)
        : base($"{filePath}: {what} at byte offset {offset}", inner)
    {
        FilePath = filePath;
        Offset = offset;
    }

    public string FilePath { get; }
    public long Offset { get; }
}
