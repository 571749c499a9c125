namespace Threadline.Storage.ClickHouse.Tests;

/// <summary>One clickhouse-server shared by the tests of the <see cref="ClickHouseCollection"/>; each test uses its own database.</summary>
public sealed class ClickHouseFixture : IAsyncLifetime
{
    private ClickHouseServer? _server;

    internal ClickHouseServer Server => _server ?? throw new InvalidOperationException("The ClickHouse server has not started.");

    /// <summary>A store on a new, empty database of the shared server.</summary>
    internal ClickHouseTraceStore CreateStore(Action<ClickHouseStoreOptions>? configure = null, TimeProvider? time = null)
    {
        var options = NewOptions();
        configure?.Invoke(options);
        return new ClickHouseTraceStore(options, logger: null, time);
    }

    internal ClickHouseStoreOptions NewOptions() => new()
    {
        Url = Server.Url.ToString().TrimEnd('/'),
        Database = "t_" + Guid.NewGuid().ToString("N")[..16],
        // The suite's spans are from 2025: a week's retention would drop them at once.
        Retention = "36500d",
    };

    public async Task InitializeAsync() => _server = await ClickHouseServer.LaunchAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ClickHouseCollection : ICollectionFixture<ClickHouseFixture>
{
    public const string Name = "clickhouse";
}
