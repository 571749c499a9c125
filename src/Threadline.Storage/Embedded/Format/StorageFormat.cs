namespace Threadline.Storage.Embedded.Format;

/// <summary>
/// The on-disk format versions of the embedded engine's files. A file written with a version
/// this build does not know is refused (<see cref="UnsupportedFormatVersionException"/>),
/// never guessed at. Raise a version whenever a reader of the old one would misread the new.
/// </summary>
public static class StorageFormat
{
    /// <summary>
    /// The version of a block (data.parquet, index.bin, meta.json), see docs/storage-format.md.
    /// Version 2 added per-row-group value ranges and blob-key marks to index.bin; version 1
    /// blocks are still read (without that pruning).
    /// </summary>
    public const int BlockFormatVersion = 2;

    /// <summary>
    /// The version of the write-ahead log's segment files. Version 2 starts each record's payload
    /// with its kind (stored spans, or spans counted in the aggregates only); version 1 records
    /// hold stored spans only and are still read.
    /// </summary>
    public const int WalFormatVersion = 2;

    /// <summary>The log version whose records carry no kind byte.</summary>
    public const int WalFormatVersionWithoutKinds = 1;

    /// <summary>Block versions this build reads.</summary>
    public static IReadOnlyList<int> ReadableBlockVersions { get; } = [1, BlockFormatVersion];

    /// <summary>Write-ahead log versions this build reads.</summary>
    public static IReadOnlyList<int> ReadableWalVersions { get; } = [WalFormatVersionWithoutKinds, WalFormatVersion];
}
