using Threadline.Storage.Embedded;

namespace Threadline.Storage.Tests.Embedded;

/// <summary>The conformance suite over the embedded engine: each test's store in its own directory, closed and deleted after.</summary>
public abstract class EmbeddedConformance : TraceStoreConformance, IAsyncLifetime
{
    private readonly List<(EmbeddedStoreHarness Store, TemporaryDataDirectory Directory)> _stores = [];

    // The suite's spans are from 2025; a week's retention would delete their blocks at once.
    internal const string TestRetention = "36500d";

    private protected abstract EmbeddedStoreHarness.Mode Mode { get; }

    protected override ITraceStore CreateStore(TimeProvider clock)
    {
        var directory = new TemporaryDataDirectory();
        var store = new EmbeddedStoreHarness(new EmbeddedStoreOptions { DataDirectory = directory.Path, Retention = TestRetention }, Mode, clock);
        _stores.Add((store, directory));
        return store;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var (store, directory) in _stores)
        {
            await store.DisposeAsync();
            directory.Dispose();
        }
    }
}

/// <summary>Reads from the head: appended spans answered from memory, with the log underneath.</summary>
public sealed class EmbeddedTraceStoreConformanceTests : EmbeddedConformance
{
    private protected override EmbeddedStoreHarness.Mode Mode => EmbeddedStoreHarness.Mode.AsIs;
}

/// <summary>Reads after a restart: every span comes back from the log's replay.</summary>
public sealed class EmbeddedTraceStoreReopenedConformanceTests : EmbeddedConformance
{
    private protected override EmbeddedStoreHarness.Mode Mode => EmbeddedStoreHarness.Mode.Reopen;

    protected override bool RestartsBeforeEachRead => true;
}

/// <summary>Reads from blocks: the head is written out before every read, so spans come from Parquet blocks (and pieces of a trace from several).</summary>
public sealed class EmbeddedTraceStoreBlocksConformanceTests : EmbeddedConformance
{
    private protected override EmbeddedStoreHarness.Mode Mode => EmbeddedStoreHarness.Mode.Flush;

    // A block's fetch may answer a superset (its pruning is by row group).
    protected override bool FetchIsExact => false;
}
