using Threadline.Cli.Tests.Storage;

namespace Threadline.Storage.ClickHouse.Tests;

/// <summary>Starts a <c>threadline serve --storage clickhouse</c> node of the scale-out tests.</summary>
internal static class ServeNode
{
    public static async Task<ServeChild> StartAsync(Uri clickHouse, string cluster)
    {
        var node = await ServeChild.StartAsync(
            ["--storage", "clickhouse", "--clickhouse-url", clickHouse.ToString().TrimEnd('/'), "--clickhouse-cluster", cluster, "--retention", "30d"]);
        // The store connects and creates its schema on first use: make that happen now, so that
        // the other shard's Distributed table finds this shard's local tables. The read itself
        // fails while a shard has no tables yet, so its answer does not matter.
        await node.ServicesStatusAsync();
        return node;
    }
}
