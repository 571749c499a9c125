using Threadline.Core.Model;

namespace Threadline.Storage.Embedded.Blocks;

/// <summary>
/// What a block holds, for pruning without opening its data: kept as meta.json in the block
/// directory (with the checksum of index.bin and of itself, see docs/storage-format.md).
/// </summary>
public sealed record BlockMeta
{
    public required int FormatVersion { get; init; }

    /// <summary>Sortable by time: "&lt;min start as 16 hex digits&gt;-&lt;8 random hex digits&gt;"; also the directory name.</summary>
    public required string BlockId { get; init; }

    /// <summary>Earliest span start in the block (Unix ns).</summary>
    public required ulong MinStartUnixNano { get; init; }

    /// <summary>Latest span end in the block (Unix ns).</summary>
    public required ulong MaxEndUnixNano { get; init; }

    /// <summary>Latest span start in the block (Unix ns); a fetch range starting after it skips the block.</summary>
    public ulong MaxStartUnixNano { get; init; }

    public required long SpanCount { get; init; }
    public required long TraceCount { get; init; }

    /// <summary>Bytes of data.parquet plus index.bin (meta.json excluded).</summary>
    public required long SizeBytes { get; init; }

    /// <summary>0 for a block cut from the head; merging blocks of level n gives level n + 1.</summary>
    public required int CompactionLevel { get; init; }

    /// <summary>Row groups in data.parquet.</summary>
    public int RowGroupCount { get; init; }

    public required IReadOnlyList<string> Services { get; init; }
    public required IReadOnlyList<BlockOperation> Operations { get; init; }
    public required IReadOnlyList<string> SpanAttributeKeys { get; init; }
    public required IReadOnlyList<string> ResourceAttributeKeys { get; init; }
    public required IReadOnlyList<string> EventAttributeKeys { get; init; }
    public required IReadOnlyList<string> LinkAttributeKeys { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A span name a service reported, with its kind.</summary>
public readonly record struct BlockOperation(string Service, string Name, SpanKind Kind);
