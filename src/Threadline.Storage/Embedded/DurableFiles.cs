using System.Runtime.InteropServices;

namespace Threadline.Storage.Embedded;

/// <summary>The fsync steps that make a created, renamed or deleted file survive a crash.</summary>
internal static partial class DurableFiles
{
    private const int ReadOnly = 0;

    /// <summary>
    /// Fsyncs a directory, so that files created, renamed or deleted in it stay so after a power
    /// loss (POSIX makes an entry durable only through its directory). .NET cannot open a
    /// directory as a file, hence the two libc calls. A no-op on Windows, where NTFS journals
    /// the metadata and directories cannot be flushed this way.
    /// </summary>
    /// <exception cref="IOException">The directory could not be opened or flushed.</exception>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        var fd = Open(directory, ReadOnly);
        if (fd < 0) throw new IOException($"{directory}: could not open the directory to fsync it (errno {Marshal.GetLastPInvokeError()}).");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"{directory}: fsync of the directory failed (errno {Marshal.GetLastPInvokeError()}).");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>Writes a whole file under a temporary name, fsyncs it, renames it into place and fsyncs the directory.</summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> content)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temporary = path + ".tmp";
        try
        {
            using (var handle = File.OpenHandle(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                RandomAccess.Write(handle, content, 0);
                RandomAccess.FlushToDisk(handle);
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
        SyncDirectory(directory);
    }

    /// <summary>Deletes a file if it exists, ignoring a failure (it is retried on the next open).</summary>
    public static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
