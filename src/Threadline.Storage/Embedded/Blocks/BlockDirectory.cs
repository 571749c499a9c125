namespace Threadline.Storage.Embedded.Blocks;

/// <summary>Names of the files and directories of a block, and how to tell a finished block from a leftover.</summary>
public static class BlockDirectory
{
    /// <summary>The spans, one row each (Apache Parquet).</summary>
    public const string DataFileName = "data.parquet";

    /// <summary>The trace-id index, bloom filters and row-group checksums.</summary>
    public const string IndexFileName = "index.bin";

    /// <summary>The block's <see cref="BlockMeta"/>.</summary>
    public const string MetaFileName = "meta.json";

    /// <summary>Prefix of a block being written; such a directory is never a block.</summary>
    public const string TemporaryPrefix = ".tmp-";

    /// <summary>
    /// Whether a directory name under the blocks directory is an unfinished write (a crash
    /// between create and rename), which the owner of the directory deletes on start.
    /// </summary>
    public static bool IsTemporary(string name) => name.StartsWith(TemporaryPrefix, StringComparison.Ordinal);
}
