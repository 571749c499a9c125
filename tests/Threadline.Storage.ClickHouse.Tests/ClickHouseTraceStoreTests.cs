using Threadline.Core.Model;
using Threadline.Storage.ClickHouse.Schema;
using Threadline.Storage.Tests;

namespace Threadline.Storage.ClickHouse.Tests;

/// <summary>What the ClickHouse engine does beyond the shared contract: schema, failures, duplicates, retention.</summary>
[Collection(ClickHouseCollection.Name)]
public sealed class ClickHouseTraceStoreTests(ClickHouseFixture clickHouse)
{
    private readonly SpanFactory _spans = new(stream: 13);

    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task Opening_creates_the_schema_with_its_version_and_opening_again_changes_nothing()
    {
        var options = clickHouse.NewOptions();
        await using (var first = new ClickHouseTraceStore(options)) await first.GetServicesAsync(None);
        await using (var second = new ClickHouseTraceStore(options)) await second.GetServicesAsync(None);

        var versions = await clickHouse.Server.QueryAsync($"SELECT version FROM {options.Database}.schema_versions FORMAT TSV");
        Assert.Equal($"{SchemaMigrations.CurrentVersion}\n", versions);
        var tables = await clickHouse.Server.QueryAsync($"SELECT name FROM system.tables WHERE database = '{options.Database}' ORDER BY name FORMAT TSV");
        Assert.Equal("schema_versions\nservice_graph\nspan_metrics\nspans\ntrace_index\n", tables);
    }

    [Fact]
    public async Task A_schema_newer_than_this_build_is_refused_naming_both_versions()
    {
        var options = clickHouse.NewOptions();
        await using (var store = new ClickHouseTraceStore(options)) await store.GetServicesAsync(None);
        await clickHouse.Server.QueryAsync($"INSERT INTO {options.Database}.schema_versions VALUES ({SchemaMigrations.CurrentVersion + 1}, now())");

        await using var newer = new ClickHouseTraceStore(options);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(async () => await newer.GetServicesAsync(None));
        Assert.Contains($"version {SchemaMigrations.CurrentVersion + 1}", e.Message);
        Assert.Contains($"up to {SchemaMigrations.CurrentVersion}", e.Message);
    }

    [Fact]
    public async Task The_server_version_is_detected()
    {
        await using var store = clickHouse.CreateStore();
        await store.GetServicesAsync(None);

        var answered = (await clickHouse.Server.QueryAsync("SELECT version() FORMAT TSV")).Trim();
        Assert.Equal(ServerFeatures.Parse(answered).Version, store.ServerVersion);
    }

    [Fact]
    public async Task A_batch_appended_twice_after_a_failure_comes_back_once()
    {
        await using var store = clickHouse.CreateStore();
        var traceId = _spans.NewTraceId();
        var trace = _spans.CheckoutTrace(traceId);

        await store.AppendAsync(trace, None);
        await store.AppendAsync(trace, None);

        var stored = await store.GetTraceAsync(traceId, None);
        Assert.Equal(trace.Length, stored.Count);
        Assert.Equal(trace.Select(s => s.SpanId).Order(), stored.Select(s => s.SpanId).Order());
        var summary = Assert.Single(await store.SearchAsync(new TraceQuery(), None));
        Assert.Equal(trace.Length, summary.SpanCount);
    }

    [Fact]
    public async Task Appends_fail_as_unavailable_while_the_server_is_down_and_succeed_when_it_is_back()
    {
        await using var server = await ClickHouseServer.LaunchAsync();
        var options = clickHouse.NewOptions();
        options.Url = server.Url.ToString().TrimEnd('/');
        options.TimeoutSeconds = 5;
        await using var store = new ClickHouseTraceStore(options);
        var before = _spans.CheckoutTrace(_spans.NewTraceId());
        await store.AppendAsync(before, None);

        await server.StopAsync();
        var during = _spans.CheckoutTrace(_spans.NewTraceId());
        var e = await Assert.ThrowsAsync<StoreUnavailableException>(async () => await store.AppendAsync(during, None));
        Assert.Contains(server.Url.Authority, e.Message);
        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await store.GetTraceAsync(before[0].TraceId, None));

        await server.StartAsync();
        await store.AppendAsync(during, None);
        Assert.Equal(before.Length, (await store.GetTraceAsync(before[0].TraceId, None)).Count);
        Assert.Equal(during.Length, (await store.GetTraceAsync(during[0].TraceId, None)).Count);
    }

    [Fact]
    public async Task A_store_opened_while_the_server_is_down_connects_once_it_is_up()
    {
        await using var server = await ClickHouseServer.LaunchAsync();
        await server.StopAsync();
        var options = clickHouse.NewOptions();
        options.Url = server.Url.ToString().TrimEnd('/');
        options.TimeoutSeconds = 5;
        await using var store = new ClickHouseTraceStore(options);
        var trace = _spans.CheckoutTrace(_spans.NewTraceId());

        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await store.AppendAsync(trace, None));

        await server.StartAsync();
        await store.AppendAsync(trace, None);
        Assert.Equal(trace.Length, (await store.GetTraceAsync(trace[0].TraceId, None)).Count);
    }

    [Fact]
    public async Task Retention_drops_the_days_older_than_the_retention_and_keeps_the_rest()
    {
        var options = clickHouse.NewOptions();
        options.Retention = "2d";
        await using var store = new ClickHouseTraceStore(options);
        // Relative to the real clock, as the engine's own retention runs on it too.
        var now = DateTimeOffset.UtcNow;
        var epoch = DateTimeOffset.FromUnixTimeMilliseconds((long)(SpanFactory.Epoch / SpanFactory.Millisecond));
        var old = _spans.CheckoutTrace(_spans.NewTraceId(), startMs: (now.AddDays(-10) - epoch).TotalMilliseconds);
        var recent = _spans.CheckoutTrace(_spans.NewTraceId(), startMs: (now.AddHours(-1) - epoch).TotalMilliseconds);
        await store.AppendAsync([.. old, .. recent], None);

        // The engine's own retention pass (at open) may have dropped the old day first: either way it is gone.
        await store.DropExpiredPartitionsAsync(now, None);

        Assert.Empty(await store.GetTraceAsync(old[0].TraceId, None));
        Assert.Equal(recent.Length, (await store.GetTraceAsync(recent[0].TraceId, None)).Count);
        Assert.Equal(0, await store.DropExpiredPartitionsAsync(now, None));
    }

    [Theory]
    [InlineData("18.16.1", 18, 16)]
    [InlineData("24.8.4.13", 24, 8)]
    [InlineData(" 19.10.1.5\n", 19, 10)]
    public void Versions_are_parsed_from_what_the_server_answers(string text, int major, int minor) =>
        Assert.Equal(new Version(major, minor), ServerFeatures.Parse(text).Version);

    [Theory]
    [InlineData("")]
    [InlineData("latest")]
    [InlineData("18")]
    [InlineData("x.y.z")]
    public void A_version_that_is_not_dotted_numbers_is_refused(string text)
    {
        var e = Assert.Throws<FormatException>(() => ServerFeatures.Parse(text));
        Assert.Contains("dotted version", e.Message);
    }

    [Fact]
    public void Features_follow_the_version()
    {
        var debian = ServerFeatures.Parse("18.16.1");
        var current = ServerFeatures.Parse("24.8.4");

        Assert.True(debian.LowCardinality);
        Assert.False(debian.Codecs);
        Assert.False(debian.BloomFilterIndex);
        Assert.True(current.Codecs);
        Assert.True(current.BloomFilterIndex);
        Assert.False(ServerFeatures.Parse("18.10.3").LowCardinality);
    }

    [Fact]
    public void The_schema_uses_codecs_and_a_bloom_filter_only_on_servers_that_have_them()
    {
        string Schema(string version) => string.Join("\n", SchemaMigrations.Steps(1, new TableLayout("threadline", null, ServerFeatures.Parse(version))));

        Assert.DoesNotContain("CODEC", Schema("18.16.1"));
        Assert.DoesNotContain("bloom_filter", Schema("18.16.1"));
        Assert.Contains("LowCardinality(String)", Schema("18.16.1"));
        Assert.Contains("CODEC(Delta, ZSTD(1))", Schema("24.8.4"));
        Assert.Contains("TYPE bloom_filter", Schema("24.8.4"));
        Assert.DoesNotContain("LowCardinality", Schema("18.10.1"));
    }

    [Fact]
    public void A_cluster_layout_adds_a_distributed_table_over_each_local_one_sharded_by_trace()
    {
        var statements = SchemaMigrations.Steps(1, new TableLayout("threadline", "prod", ServerFeatures.Parse("18.16.1"))).ToList();

        Assert.Contains(statements, s => s.StartsWith("CREATE TABLE IF NOT EXISTS `threadline`.`spans_local`", StringComparison.Ordinal));
        Assert.Contains(statements, s => s.Contains("`threadline`.`spans` AS", StringComparison.Ordinal)
            && s.Contains("Distributed(`prod`, threadline, spans_local, cityHash64(trace_id))", StringComparison.Ordinal));
        Assert.Equal(8, statements.Count);
    }
}
