using System.Runtime.InteropServices;

namespace Threadline.Storage.Embedded.Blocks;

/// <summary>
/// fsync of a directory, which .NET does not offer: after a rename, the directory entry is on
/// disk only once the directory itself is synced. A no-op where directories cannot be opened
/// (Windows makes renames durable by other means).
/// </summary>
internal static class DurableFiles
{
    private const int ReadOnlyDirectory = 0x10000; // O_DIRECTORY on Linux

    public static void SyncDirectory(string path)
    {
        if (!OperatingSystem.IsLinux()) return;
        var fd = Open(path, ReadOnlyDirectory);
        if (fd < 0) throw new IOException($"{path}: cannot open the directory to sync it (errno {Marshal.GetLastPInvokeError()}).");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"{path}: fsync of the directory failed (errno {Marshal.GetLastPInvokeError()}).");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
