using Threadline.Storage.Tests;

namespace Threadline.Storage.ClickHouse.Tests;

/// <summary>The conformance suite over the ClickHouse engine: each test's store on its own database of one real server.</summary>
[Collection(ClickHouseCollection.Name)]
public sealed class ClickHouseTraceStoreConformanceTests(ClickHouseFixture clickHouse) : TraceStoreConformance, IAsyncLifetime
{
    private readonly List<ClickHouseTraceStore> _stores = [];

    protected override ITraceStore CreateStore(TimeProvider time)
    {
        var store = clickHouse.CreateStore(time: time);
        _stores.Add(store);
        return store;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores) await store.DisposeAsync();
    }
}
