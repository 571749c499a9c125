using Threadline.Core.Model;
using Threadline.Storage.Fetch;

namespace Threadline.Storage.Embedded.Blocks;

/// <summary>
/// An opened, immutable block: data.parquet, index.bin and meta.json in one directory. Safe for
/// concurrent reads. Every read checks the checksum of the bytes it decodes and throws
/// <see cref="Format.StorageCorruptionException"/> rather than return wrong data.
/// </summary>
public sealed class Block : IDisposable
{
    private Block(string directory, BlockMeta meta)
    {
        Directory = directory;
        Meta = meta;
    }

    public BlockMeta Meta { get; }
    public string Directory { get; }

    /// <summary>
    /// Opens a block: checks the format version of each file and the checksums of meta.json and
    /// index.bin. Throws <see cref="Format.UnsupportedFormatVersionException"/> or
    /// <see cref="Format.StorageCorruptionException"/>.
    /// </summary>
    public static Block Open(string blockDirectory) => throw new NotImplementedException();

    /// <summary>False when the trace is certainly not in the block (bloom filter); true when it may be.</summary>
    public bool MightContain(TraceId id) => throw new NotImplementedException();

    /// <summary>Every span of the trace in this block, ordered by start time; empty when absent.</summary>
    public IReadOnlyList<Span> FindTrace(TraceId id) => throw new NotImplementedException();

    /// <summary>
    /// The block's spans starting in the request's range that may satisfy its conditions, one
    /// <see cref="BlockSpanset"/> per trace in trace-id order. Prunes by time range, row-group
    /// statistics and attribute blooms; may return a superset, never misses a matching span.
    /// </summary>
    public IEnumerable<BlockSpanset> Fetch(FetchSpansRequest request, CancellationToken ct) => throw new NotImplementedException();

    /// <summary>Every trace of the block, in trace-id order, each ordered by start time (for compaction).</summary>
    public IEnumerable<IReadOnlyList<Span>> ReadTraces(CancellationToken ct) => throw new NotImplementedException();

    /// <summary>Distinct scalar values of an attribute in one scope on spans starting in [start, end), sorted as the catalogs are.</summary>
    public IReadOnlyList<AttributeValue> AttributeValues(ConditionScope scope, string key, ulong start, ulong end, int limit) =>
        throw new NotImplementedException();

    /// <summary>The span names and kinds of a service in this block (from the meta), sorted by name then kind.</summary>
    public IReadOnlyList<Operation> Operations(string service) => throw new NotImplementedException();

    public void Dispose()
    {
    }
}
