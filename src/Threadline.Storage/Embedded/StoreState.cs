using System.Collections.Immutable;

namespace Threadline.Storage.Embedded;

/// <summary>
/// What the store holds at one moment: the head taking appends, the frozen heads being written
/// out, and the blocks. Immutable and swapped whole, so a read sees each span in exactly one
/// place: a frozen head leaves in the same swap that adds its block.
/// </summary>
internal sealed record StoreState(Head.Head Active, ImmutableArray<Head.Head> Frozen, ImmutableArray<BlockHandle> Blocks)
{
    /// <summary>Frozen heads oldest first, then the active one.</summary>
    public IEnumerable<Head.Head> Heads => Frozen.Append(Active);
}

/// <summary>A read's hold on one <see cref="StoreState"/>: its blocks stay open until disposed.</summary>
internal sealed class StoreView(StoreState state, BlockHandle[] blocks) : IDisposable
{
    public StoreState State { get; } = state;
    public IReadOnlyList<Head.Head> Heads { get; } = [.. state.Heads];
    public IReadOnlyList<BlockHandle> Blocks { get; } = blocks;

    public void Dispose()
    {
        foreach (var block in Blocks) block.Release();
    }
}
