using Threadline.Core.Model;
using Threadline.Storage.Aggregates;
using Threadline.Storage.Memory;

namespace Threadline.Storage.Tests.Memory;

/// <summary>The memory engine's bounds on its ingest-time aggregates: caps, minute eviction, pairing wait.</summary>
public sealed class MemoryAggregatesTests
{
    private readonly SpanFactory _spans = new();

    private static CancellationToken None => CancellationToken.None;

    private static readonly AggregateQuery AllMinutes = new() { StartTimeUnixNano = SpanFactory.Epoch, EndTimeUnixNano = SpanFactory.At(3_600_000) };

    [Fact]
    public async Task A_server_span_whose_client_does_not_arrive_within_the_wait_is_given_up_and_counted()
    {
        var clock = new ManualClock();
        var store = new MemoryTraceStore(new MemoryStoreOptions { PairingWaitSeconds = 10 }, clock);
        var traceId = _spans.NewTraceId();
        var client = _spans.Make(traceId, "call", SpanFactory.Frontend, kind: SpanKind.Client);
        var server = _spans.Make(traceId, "handle", SpanFactory.Checkout, parent: client.SpanId, kind: SpanKind.Server);

        await store.AppendAsync([server], None);
        Assert.Equal(1, store.AggregateStatistics.PendingSpans);
        clock.Advance(TimeSpan.FromSeconds(11));
        await store.AppendAsync([client], None);

        Assert.Empty(await store.GetServiceGraphAsync(AllMinutes, None));
        Assert.Equal(1, store.AggregateStatistics.ExpiredUnpairedSpans);
        Assert.Equal(1, store.AggregateStatistics.PendingSpans);
    }

    [Fact]
    public async Task A_pair_completed_within_the_wait_is_an_edge_and_nothing_is_given_up()
    {
        var clock = new ManualClock();
        var store = new MemoryTraceStore(new MemoryStoreOptions { PairingWaitSeconds = 10 }, clock);
        var traceId = _spans.NewTraceId();
        var client = _spans.Make(traceId, "call", SpanFactory.Frontend, kind: SpanKind.Client);
        var server = _spans.Make(traceId, "handle", SpanFactory.Checkout, parent: client.SpanId, kind: SpanKind.Server);

        await store.AppendAsync([server], None);
        clock.Advance(TimeSpan.FromSeconds(9));
        await store.AppendAsync([client], None);

        Assert.Single(await store.GetServiceGraphAsync(AllMinutes, None));
        // Two span-metrics keys and one edge; nothing capped, evicted, given up or waiting.
        Assert.Equal(new AggregateStatistics(3, 0, 0, 0, 0, 0), store.AggregateStatistics);
    }

    [Fact]
    public async Task The_pending_map_is_bounded_and_pushes_out_the_longest_waiting()
    {
        var store = new MemoryTraceStore(new MemoryStoreOptions { MaxPendingPairs = 2 });
        var clients = Enumerable.Range(0, 3).Select(i => _spans.Make(_spans.NewTraceId(), "call", SpanFactory.Frontend, kind: SpanKind.Client)).ToArray();

        await store.AppendAsync(clients, None);
        var servers = clients.Select(c => _spans.Make(c.TraceId, "handle", SpanFactory.Checkout, parent: c.SpanId)).ToArray();
        await store.AppendAsync(servers[1..], None);

        var edge = Assert.Single(await store.GetServiceGraphAsync(AllMinutes, None));
        Assert.Equal(2, edge.Total.Count);
        Assert.Equal(1, store.AggregateStatistics.ExpiredUnpairedSpans);
    }

    [Fact]
    public async Task Keys_past_the_per_minute_cap_are_counted_not_kept()
    {
        var store = new MemoryTraceStore(new MemoryStoreOptions { MaxAggregateKeysPerMinute = 2 });

        await store.AppendAsync([.. new[] { "a", "b", "c", "c" }.Select(name => _spans.Make(_spans.NewTraceId(), name, kind: SpanKind.Internal))], None);

        Assert.Equal(["a", "b"], (await store.GetSpanMetricsAsync(AllMinutes, None)).Select(s => s.Key.SpanName));
        Assert.Equal(2, store.AggregateStatistics.CappedSpans);
    }

    [Fact]
    public async Task Past_the_entry_budget_the_oldest_minutes_are_evicted_and_a_late_span_does_not_push_out_newer_ones()
    {
        var store = new MemoryTraceStore(new MemoryStoreOptions { MaxAggregateEntries = 2 });
        foreach (var minute in new[] { 0, 1, 2 })
            await store.AppendAsync([_spans.Make(_spans.NewTraceId(), "tick", startMs: minute * 60_000, kind: SpanKind.Internal)], None);

        Assert.Equal([1L, 1L], (await store.GetSpanMetricsAsync(AllMinutes with { StepMinutes = 1 }, None)).Single().Points.Select(p => p.Tally.Count));
        Assert.Equal(1, store.AggregateStatistics.EvictedMinutes);

        await store.AppendAsync([_spans.Make(_spans.NewTraceId(), "tick", startMs: 0, kind: SpanKind.Internal)], None);

        Assert.Equal(2, (await store.GetSpanMetricsAsync(AllMinutes, None)).Single().Total.Count);
        Assert.Equal(1, store.AggregateStatistics.CappedSpans);
    }

    [Fact]
    public async Task With_aggregates_off_nothing_is_kept()
    {
        var store = new MemoryTraceStore(new MemoryStoreOptions { KeepAggregates = false });

        await store.AppendAsync(_spans.CheckoutTrace(_spans.NewTraceId()), None);

        Assert.Empty(await store.GetSpanMetricsAsync(AllMinutes, None));
        Assert.Equal(default, store.AggregateStatistics);
    }

    [Fact]
    public void Aggregate_bounds_of_zero_are_reported_by_name()
    {
        var problems = new MemoryStoreOptions { MaxAggregateEntries = 0, PairingWaitSeconds = -1 }.Problems();

        Assert.Equal(["MaxAggregateEntries must be at least 1, got 0.", "PairingWaitSeconds must be at least 1, got -1."], problems);
    }
}
