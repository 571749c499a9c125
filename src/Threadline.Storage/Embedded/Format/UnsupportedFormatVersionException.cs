namespace Threadline.Storage.Embedded.Format;

/// <summary>
/// A stored file was written in a format version this build does not read (written by a newer
/// Threadline, or not by Threadline). Refused whole rather than misread.
/// </summary>
public sealed class UnsupportedFormatVersionException : IOException
{
    public UnsupportedFormatVersionException(string filePath, int versionFound, IReadOnlyList<int> versionsSupported)
        : base($"{filePath}: format version {versionFound} is not supported; this build of Threadline reads version(s) "
            + $"{string.Join(", ", versionsSupported)}. Open it with the Threadline version that wrote it, or move it out of the data directory.")
    {
        FilePath = filePath;
        VersionFound = versionFound;
        VersionsSupported = versionsSupported;
    }

    public string FilePath { get; }
    public int VersionFound { get; }
    public IReadOnlyList<int> VersionsSupported { get; }
}
