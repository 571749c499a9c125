using Threadline.Cli.Tests.Storage;
using System.Net;
using Threadline.Core.Model;

namespace Threadline.Storage.ClickHouse.Tests;

/// <summary>
/// Scale-out, run for real: two clickhouse-server processes as the two shards of a cluster
/// behind Distributed tables, and two <c>threadline serve</c> processes, one per shard.
/// </summary>
public sealed class ScaleOutTests : IAsyncLifetime
{
    private ClickHouseServer? _first;
    private ClickHouseServer? _second;
    private ServeChild? _nodeA;
    private ServeChild? _nodeB;
    private ulong _nextId = 0x5CA1E;

    private ClickHouseServer First => _first!;
    private ClickHouseServer Second => _second!;
    private ServeChild NodeA => _nodeA!;
    private ServeChild NodeB => _nodeB!;

    public async Task InitializeAsync()
    {
        // xunit does not call DisposeAsync when this throws: stop whatever started first.
        try
        {
            (_first, _second) = await ClickHouseServer.LaunchClusterAsync();
            _nodeA = await ServeNode.StartAsync(First.Url, ClickHouseServer.ClusterName);
            _nodeB = await ServeNode.StartAsync(Second.Url, ClickHouseServer.ClusterName);
            Assert.Equal(HttpStatusCode.OK, await NodeA.ServicesStatusAsync());
            Assert.Equal(HttpStatusCode.OK, await NodeB.ServicesStatusAsync());
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (_nodeA is not null) await _nodeA.DisposeAsync();
        if (_nodeB is not null) await _nodeB.DisposeAsync();
        if (_first is not null) await _first.DisposeAsync();
        if (_second is not null) await _second.DisposeAsync();
    }

    [Fact]
    public async Task Nodes_share_the_cluster_survive_each_other_and_refuse_ingest_while_a_shard_is_down()
    {
        // A trace whose spans arrive at both nodes comes back whole from either.
        var split = Trace(6);
        await AcceptedAsync(NodeA, split[..3]);
        await AcceptedAsync(NodeB, split[3..]);
        var expected = split.Select(s => s.SpanId.ToString()).Order().ToList();
        Assert.Equal(expected, (await NodeA.SpanIdsAsync(split[0].TraceId)).Order());
        Assert.Equal(expected, (await NodeB.SpanIdsAsync(split[0].TraceId)).Order());

        // The rows are spread over both shards: each holds some traces, none holds all.
        var traces = Enumerable.Range(0, 20).Select(_ => Trace(3)).ToList();
        await AcceptedAsync(NodeA, [.. traces.SelectMany(t => t)]);
        var onFirst = await CountAsync(First, "spans_local");
        var onSecond = await CountAsync(Second, "spans_local");
        Assert.Equal(6 + 60, onFirst + onSecond);
        Assert.True(onFirst > 0 && onSecond > 0, $"shard rows {onFirst} and {onSecond}");

        // One node killed: the other keeps ingesting and answering.
        await NodeA.KillAsync();
        var later = Trace(4);
        await AcceptedAsync(NodeB, later);
        Assert.Equal(4, (await NodeB.SpanIdsAsync(later[0].TraceId)).Count);
        Assert.Equal(expected, (await NodeB.SpanIdsAsync(split[0].TraceId)).Order());

        // A shard stopped mid-ingest: the batch is refused with 503 and Retry-After, not acknowledged.
        await First.StopAsync();
        var during = Enumerable.Range(0, 20).Select(_ => Trace(3)).ToList();
        using (var refused = await NodeB.ExportAsync([.. during.SelectMany(t => t)]))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
        }

        // The shard returns: the client's retry is accepted and every trace is whole.
        await First.StartAsync();
        await AcceptedAsync(NodeB, [.. during.SelectMany(t => t)]);
        foreach (var trace in during)
        {
            Assert.Equal(trace.Select(s => s.SpanId.ToString()).Order(), (await NodeB.SpanIdsAsync(trace[0].TraceId)).Order());
        }
    }

    private static async Task AcceptedAsync(ServeChild node, IReadOnlyList<Span> spans)
    {
        using var response = await node.ExportAsync(spans);
        Assert.True(response.StatusCode == HttpStatusCode.OK,
            $"export of {spans.Count} spans answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{node.Transcript}");
    }

    private static async Task<long> CountAsync(ClickHouseServer server, string table) =>
        long.Parse(await server.QueryAsync($"SELECT count() FROM threadline.{table} FORMAT TSV"), System.Globalization.CultureInfo.InvariantCulture);

    // A trace of a root and children, starting now (the nodes keep 30 days).
    private Span[] Trace(int spans)
    {
        var traceId = new TraceId(0x7EAD, ++_nextId);
        var start = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        var resource = new Resource([new("service.name", "shop-" + (_nextId % 3))]);
        var root = new SpanId(++_nextId);
        return [.. Enumerable.Range(0, spans).Select(i => new Span
        {
            TraceId = traceId,
            SpanId = i == 0 ? root : new SpanId(++_nextId),
            ParentSpanId = i == 0 ? SpanId.Empty : root,
            Name = "op-" + i,
            Kind = i == 0 ? SpanKind.Server : SpanKind.Internal,
            StartTimeUnixNano = start + (ulong)i * 1_000_000,
            EndTimeUnixNano = start + (ulong)i * 1_000_000 + 500_000,
            Resource = resource,
        })];
    }
}
