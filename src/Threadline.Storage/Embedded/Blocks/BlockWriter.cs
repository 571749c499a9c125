using Threadline.Core.Model;

namespace Threadline.Storage.Embedded.Blocks;

/// <summary>Writes spans as a new block, atomically.</summary>
public static class BlockWriter
{
    /// <summary>
    /// Writes <paramref name="spans"/> (any order; every span of a trace in this one call) as a
    /// block: sorted by trace id then start, under <c>&lt;blocksDirectory&gt;/.tmp-&lt;id&gt;/</c>,
    /// files and directory fsynced, then renamed to <c>&lt;blocksDirectory&gt;/&lt;id&gt;/</c>, so a
    /// block is whole or absent. Returns the opened block.
    /// </summary>
    /// <exception cref="ArgumentException">No spans.</exception>
    public static Block Write(string blocksDirectory, IEnumerable<Span> spans, BlockWriteOptions options, CancellationToken ct) =>
        throw new NotImplementedException();
}
