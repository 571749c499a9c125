namespace Threadline.Storage.Embedded.Blocks;

/// <summary>How <see cref="BlockWriter"/> lays out a block.</summary>
public sealed record BlockWriteOptions
{
    /// <summary>
    /// Spans per Parquet row group: the unit a trace lookup decodes and a checksum guards. Smaller
    /// finds a trace faster and loses less to one flipped byte; larger compresses better.
    /// </summary>
    public int RowGroupSpans { get; init; } = 4096;

    /// <summary>The block's <see cref="BlockMeta.CompactionLevel"/>.</summary>
    public int CompactionLevel { get; init; }

    /// <summary>The id to give the block; null for a new sortable id from its earliest span.</summary>
    public string? BlockId { get; init; }
}
