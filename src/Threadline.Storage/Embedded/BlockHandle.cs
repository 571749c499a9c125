using Threadline.Storage.Embedded.Blocks;

namespace Threadline.Storage.Embedded;

/// <summary>
/// A block shared by the store and the reads using it: counted references, so that compaction
/// and retention can take a block out of the store while a read still holds it, and the files
/// go only when the last reader lets go.
/// </summary>
internal sealed class BlockHandle(Block block)
{
    // One reference belongs to the store from the start; Retire gives it up.
    private int _references = 1;
    private volatile bool _deleteWhenUnused;

    public Block Block { get; } = block;

    /// <summary>Takes a reference; false when the block was already retired and released.</summary>
    public bool TryAcquire()
    {
        while (true)
        {
            var current = Volatile.Read(ref _references);
            if (current == 0) return false;
            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current) return true;
        }
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) != 0) return;
        Block.Dispose();
        if (!_deleteWhenUnused) return;
        try
        {
            Directory.Delete(Block.Directory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left behind: the next open finds no meta for it in the store's list and tries again.
        }
    }

    /// <summary>Gives up the store's reference; the files are deleted when the last reader is done if <paramref name="delete"/>.</summary>
    public void Retire(bool delete)
    {
        _deleteWhenUnused = delete;
        Release();
    }
}
