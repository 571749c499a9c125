using System.Globalization;
using System.Text;
using Threadline.Storage.Embedded.Format;

namespace Threadline.Storage.Embedded;

/// <summary>
/// The embedded engine's directory: a <c>FORMAT</c> file naming the layout version, a <c>LOCK</c>
/// file held open while a server uses it (so a second server on the same directory gets a clear
/// error instead of two writers on one log), and the <c>wal</c>, <c>blocks</c> and
/// <c>aggregates</c> folders.
/// </summary>
internal sealed class DataDirectory : IDisposable
{
    private const string FormatFileName = "FORMAT";
    private const string LockFileName = "LOCK";
    private const string FormatPrefix = "threadline-data ";

    private readonly FileStream _lock;

    private DataDirectory(string root, FileStream lockFile)
    {
        Root = root;
        _lock = lockFile;
        Wal = Path.Combine(root, "wal");
        Blocks = Path.Combine(root, "blocks");
        Aggregates = Path.Combine(root, "aggregates");
    }

    public string Root { get; }
    public string Wal { get; }
    public string Blocks { get; }
    public string Aggregates { get; }

    /// <summary>Creates the directory if needed, takes its lock and checks (or writes) its format version.</summary>
    /// <exception cref="IOException">Another process holds the lock, or the directory cannot be created.</exception>
    /// <exception cref="UnsupportedFormatVersionException">The directory was written by an unknown format version.</exception>
    public static DataDirectory Open(string path)
    {
        var root = Path.GetFullPath(path);
        Directory.CreateDirectory(root);
        var lockPath = Path.Combine(root, LockFileName);
        FileStream lockFile;
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock on Unix) for as long as the
            // stream is open; the kernel releases it when the process dies, even by SIGKILL.
            lockFile = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new IOException(
                $"The data directory {root} is in use by another Threadline server (its lock file {lockPath} is held). " +
                "Stop that server, or give this one another --data-dir.", ex);
        }
        try
        {
            var directory = new DataDirectory(root, lockFile);
            directory.CheckFormat();
            Directory.CreateDirectory(directory.Wal);
            Directory.CreateDirectory(directory.Blocks);
            Directory.CreateDirectory(directory.Aggregates);
            return directory;
        }
        catch
        {
            lockFile.Dispose();
            throw;
        }
    }

    public void Dispose() => _lock.Dispose();

    private void CheckFormat()
    {
        var path = Path.Combine(Root, FormatFileName);
        if (!File.Exists(path))
        {
            DurableFiles.WriteAtomically(path, Encoding.ASCII.GetBytes(FormatPrefix + StorageFormat.WalFormatVersion.ToString(CultureInfo.InvariantCulture) + "\n"));
            return;
        }
        var text = File.ReadAllText(path).Trim();
        if (!text.StartsWith(FormatPrefix, StringComparison.Ordinal)
            || !int.TryParse(text.AsSpan(FormatPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw new StorageCorruptionException(path, 0, $"not a Threadline data directory format file (expected '{FormatPrefix}<version>', found '{Truncate(text)}')");
        }
        if (!StorageFormat.ReadableWalVersions.Contains(version))
            throw new UnsupportedFormatVersionException(path, version, StorageFormat.ReadableWalVersions);
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
