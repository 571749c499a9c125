using Threadline.Pipeline.Stages;
using Threadline.Testing;
namespace Threadline.Pipeline.Tests;

/// <summary>
/// A queue over a <see cref="GatedStore"/>. Disposing opens the gate before draining the queue,
/// so a test that fails while the gate is closed ends instead of waiting for the gate forever.
/// </summary>
internal sealed class Ingest : IAsyncDisposable
{
    private Ingest(GatedStore store, IngestQueue queue)
    {
        Store = store;
        Queue = queue;
    }

    public GatedStore Store { get; }

    public IngestQueue Queue { get; }

    public static Ingest Start(IngestQueueOptions options, GatedStore? store = null)
    {
        store ??= new GatedStore();
        return new Ingest(store, new IngestQueue(new StoreWriter(store), options));
    }

    public async ValueTask DisposeAsync()
    {
        Store.Open();
        await Queue.DisposeAsync();
    }
}
