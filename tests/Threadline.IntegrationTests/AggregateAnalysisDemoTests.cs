using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Threadline.Core.Model;
using Threadline.Demo;
using Threadline.Protocol.Otlp;
using Threadline.Storage;
using Threadline.Storage.Memory;

namespace Threadline.IntegrationTests;

/// <summary>
/// The demo's checkouts through the real server, read back as the service graph and RED: its
/// SQLite databases, which no span answers, must show as database nodes, and its slow bulk
/// inventory queries in inventory's RED p99. The store's pairing clock is the test's, so the
/// pairing wait ends when the test says, not after a sleep.
/// </summary>
public sealed class AggregateAnalysisDemoRun : IAsyncLifetime
{
    private const int Checkouts = 20;

    public ManualClock Clock { get; } = new();
    internal TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync(services: services =>
            services.AddSingleton<ITraceStore>(_ => new MemoryTraceStore(new MemoryStoreOptions(), Clock)));
        await using var demo = await DemoLauncher.StartAsync(new DemoOptions
        {
            OtlpEndpoint = Server.OtlpGrpcEndpoint,
            ExecutablePath = DemoProgram.Locate(),
            RequestsPerSecond = 25,
            MaxRequests = Checkouts,
            // One checkout in four is a bulk order whose inventory check scans every warehouse (~450 ms).
            SlowInventoryRatio = 0.25,
        });
        await demo.TrafficCompleted.WaitAsync(TimeSpan.FromSeconds(60));
        // Disposing stops the services gracefully: each exports what it still holds before it exits.
    }

    /// <summary>Ends the pairing wait: the clock passes it, and the next batch gives up what waited.</summary>
    public async Task EndPairingWaitAsync()
    {
        Clock.Advance(TimeSpan.FromSeconds(new MemoryStoreOptions().PairingWaitSeconds + 1));
        var tick = new Span
        {
            TraceId = new TraceId(0x7e57, 0x7e57),
            SpanId = new SpanId(0x7e57),
            Name = "tick",
            StartTimeUnixNano = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000,
            EndTimeUnixNano = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000,
            Resource = new Resource([new("service.name", "test-clock")]),
        };
        using var http = new HttpClient();
        using var body = new ByteArrayContent(OtlpProtobufEncoder.EncodeExportRequest([tick]));
        body.Headers.ContentType = new("application/x-protobuf");
        using var response = await http.PostAsync(new Uri(Server.OtlpHttpEndpoint, "/v1/traces"), body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>A clock moved by hand.</summary>
public sealed class ManualClock : TimeProvider
{
    private long _ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}

public sealed class AggregateAnalysisDemoTests(AggregateAnalysisDemoRun run) : IClassFixture<AggregateAnalysisDemoRun>
{
    private const double SlowQueryNanos = 250_000_000;

    [Fact]
    public async Task The_demo_databases_show_as_database_nodes_called_by_their_services()
    {
        await run.EndPairingWaitAsync();

        using var graph = await run.Server.Api.GetJsonAsync("/api/v1/service-graph");

        var nodes = graph.RootElement.GetProperty("nodes").EnumerateArray().ToList();
        var databases = nodes.Where(n => n.GetProperty("type").GetString() == "database").Select(n => n.GetProperty("id").GetString()!).ToList();
        Assert.NotEmpty(databases);
        Assert.All(databases, id => Assert.StartsWith("db:sqlite/", id));
        var edges = graph.RootElement.GetProperty("edges").EnumerateArray().ToList();
        var inventoryDatabase = edges.Single(e => e.GetProperty("caller").GetString() == "inventory-service" && e.GetProperty("connectionType").GetString() == "database");
        Assert.Contains(inventoryDatabase.GetProperty("callee").GetString(), databases);
        Assert.True(inventoryDatabase.GetProperty("count").GetInt64() > 0);
        // Services that answer each other are call edges between service nodes.
        Assert.Contains(edges, e => e.GetProperty("caller").GetString() == "api-gateway" && e.GetProperty("connectionType").GetString() == "call");
        Assert.Contains(nodes, n => n.GetProperty("id").GetString() == "inventory-service" && n.GetProperty("type").GetString() == "service");
    }

    [Fact]
    public async Task Slow_inventory_queries_show_in_red_p99_and_in_their_operation()
    {
        using var red = await run.Server.Api.GetJsonAsync("/api/v1/services/inventory-service/red");
        using var operations = await run.Server.Api.GetJsonAsync("/api/v1/services/inventory-service/operations/red");

        var total = red.RootElement.GetProperty("total");
        Assert.True(total.GetProperty("count").GetInt64() > 0);
        Assert.True(total.GetProperty("p99Nanos").GetInt64() >= SlowQueryNanos, $"p99 {total.GetProperty("p99Nanos")} ns");
        Assert.True(total.GetProperty("p50Nanos").GetInt64() < total.GetProperty("p99Nanos").GetInt64());
        var scan = operations.RootElement.GetProperty("operations").EnumerateArray()
            .Single(o => o.GetProperty("name").GetString() == "SELECT stock_movements" && o.GetProperty("kind").GetString() == "client");
        Assert.True(scan.GetProperty("total").GetProperty("p50Nanos").GetInt64() >= SlowQueryNanos / 2, scan.GetRawText());
        Assert.Equal(JsonValueKind.Array, scan.GetProperty("points").ValueKind);
    }
}
