namespace Threadline.Storage.Embedded.Blocks;

/// <summary>Merges blocks into one.</summary>
public static class BlockCompactor
{
    /// <summary>
    /// Writes one block holding every span of <paramref name="inputs"/>: a merge-join by trace id,
    /// so that the pieces of one trace spread over several blocks become one trace. Streams one
    /// trace at a time from each input (memory bounded by the largest trace, not the inputs).
    /// Level is one more than the highest input's unless <paramref name="options"/> says. The
    /// inputs are left in place; the caller deletes them once the result is published.
    /// </summary>
    public static Block Merge(string blocksDirectory, IReadOnlyList<Block> inputs, BlockWriteOptions options, CancellationToken ct) =>
        throw new NotImplementedException();
}
