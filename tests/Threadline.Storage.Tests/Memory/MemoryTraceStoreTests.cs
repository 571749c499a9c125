using Threadline.Core.Model;
using Threadline.Storage.Memory;

namespace Threadline.Storage.Tests.Memory;

/// <summary>What only the memory engine does: its span budget and its catalog bounds.</summary>
public sealed class MemoryTraceStoreTests
{
    private readonly SpanFactory _spans = new();

    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task Appending_past_the_budget_evicts_the_oldest_traces_first_and_counts_them()
    {
        var store = new MemoryTraceStore(new MemoryStoreOptions { MaxSpans = 9 });
        var traceIds = Enumerable.Range(0, 4).Select(_ => _spans.NewTraceId()).ToArray();
        for (var i = 0; i < 3; i++) await store.AppendAsync(_spans.CheckoutTrace(traceIds[i], startMs: i), None);
        Assert.Equal(new MemoryStoreStatistics(3, 9, 0, 0), store.Statistics);

        await store.AppendAsync(_spans.CheckoutTrace(traceIds[3], startMs: 3), None);

        Assert.Equal(new MemoryStoreStatistics(3, 9, 1, 3), store.Statistics);
        Assert.Empty(await store.GetTraceAsync(traceIds[0], None));
        foreach (var kept in traceIds[1..])
            Assert.Equal(3, (await store.GetTraceAsync(kept, None)).Count);
        Assert.Equal(traceIds[1..].Reverse(), (await store.SearchAsync(new TraceQuery(), None)).Select(t => t.TraceId));
    }

    [Fact]
    public async Task Age_is_by_first_arrival_so_late_spans_do_not_keep_a_trace_alive()
    {
        var store = new MemoryTraceStore(new MemoryStoreOptions { MaxSpans = 8 });
        var oldest = _spans.NewTraceId();
        var younger = _spans.NewTraceId();
        var newest = _spans.NewTraceId();
        var (oldestRoot, oldestRest) = (_spans.CheckoutTrace(oldest)[..1], _spans.CheckoutTrace(oldest)[1..]);
        await store.AppendAsync(oldestRoot, None);
        await store.AppendAsync(_spans.CheckoutTrace(younger), None);
        await store.AppendAsync(oldestRest, None);

        await store.AppendAsync(_spans.CheckoutTrace(newest), None);

        Assert.Empty(await store.GetTraceAsync(oldest, None));
        Assert.Equal(3, (await store.GetTraceAsync(younger, None)).Count);
        Assert.Equal(3, (await store.GetTraceAsync(newest, None)).Count);
        Assert.Equal(new MemoryStoreStatistics(2, 6, 1, 3), store.Statistics);
    }

    [Fact]
    public async Task Eviction_frees_only_as_much_as_the_incoming_batch_needs()
    {
        var store = new MemoryTraceStore(new MemoryStoreOptions { MaxSpans = 10 });
        for (var i = 0; i < 10; i++) await store.AppendAsync([_spans.Make(_spans.NewTraceId(), "GET /")], None);

        await store.AppendAsync(_spans.CheckoutTrace(_spans.NewTraceId()), None);

        Assert.Equal(new MemoryStoreStatistics(8, 10, 3, 3), store.Statistics);
    }

    [Fact]
    public async Task Spans_arriving_for_an_evicted_trace_start_it_afresh()
    {
        var store = new MemoryTraceStore(new MemoryStoreOptions { MaxSpans = 3 });
        var traceId = _spans.NewTraceId();
        var (root, checkout, payments) = (_spans.CheckoutTrace(traceId)[0], _spans.CheckoutTrace(traceId)[1], _spans.CheckoutTrace(traceId)[2]);
        await store.AppendAsync([root, checkout], None);
        await store.AppendAsync(_spans.CheckoutTrace(_spans.NewTraceId()), None);

        await store.AppendAsync([payments], None);

        Assert.Equal([payments.SpanId], (await store.GetTraceAsync(traceId, None)).Select(s => s.SpanId));
        Assert.Equal(new MemoryStoreStatistics(1, 1, 2, 5), store.Statistics);
    }

    [Fact]
    public async Task A_batch_larger_than_the_budget_keeps_its_newest_traces()
    {
        var store = new MemoryTraceStore(new MemoryStoreOptions { MaxSpans = 5 });
        var first = _spans.NewTraceId();
        var second = _spans.NewTraceId();

        await store.AppendAsync([.. _spans.CheckoutTrace(first), .. _spans.CheckoutTrace(second)], None);

        Assert.Empty(await store.GetTraceAsync(first, None));
        Assert.Equal(3, (await store.GetTraceAsync(second, None)).Count);
        Assert.Equal(new MemoryStoreStatistics(1, 3, 1, 3), store.Statistics);
    }

    [Fact]
    public async Task Catalogs_remember_what_was_seen_after_its_traces_are_evicted()
    {
        var store = new MemoryTraceStore(new MemoryStoreOptions { MaxSpans = 1 });
        await store.AppendAsync([_spans.Make(_spans.NewTraceId(), "GET /old", SpanFactory.Checkout)], None);
        await store.AppendAsync([_spans.Make(_spans.NewTraceId(), "GET /new", SpanFactory.Frontend)], None);

        Assert.Equal(["checkout", "frontend"], await store.GetServicesAsync(None));
        Assert.Equal([new Operation("GET /old", SpanKind.Server)], await store.GetOperationsAsync("checkout", None));
    }

    [Fact]
    public async Task Tag_values_per_key_stop_growing_at_the_bound_and_keep_the_first_seen()
    {
        var store = new MemoryTraceStore(new MemoryStoreOptions { MaxTagValuesPerKey = 3 });
        var traceId = _spans.NewTraceId();
        var requests = Enumerable.Range(0, 50)
            .Select(i => _spans.Make(traceId, "GET /orders", startMs: i, attributes: new KeyValue("request.id", $"req-{i:D3}")))
            .ToArray();

        await store.AppendAsync(requests, None);

        Assert.Equal(["req-000", "req-001", "req-002"], await store.GetTagValuesAsync("request.id", 100, None));
        // Only the catalog is bounded: every value is still stored and searchable.
        Assert.Single(await store.SearchAsync(new TraceQuery { Attributes = [new("request.id", "req-049")] }, None));
    }

    [Fact]
    public async Task Tag_values_longer_than_the_bound_are_searchable_but_not_listed()
    {
        var store = new MemoryTraceStore(new MemoryStoreOptions { MaxTagValueLength = 16 });
        var statement = "SELECT id, total FROM orders WHERE customer_id = $1";
        var traceId = _spans.NewTraceId();
        await store.AppendAsync(
        [
            _spans.Make(traceId, "SELECT orders", attributes: [new("db.statement", statement), new("db.system", "postgresql")]),
            _spans.Make(traceId, "batch", attributes: [new("ids", AttributeValue.FromArray([.. Enumerable.Range(0, 100_000).Select(i => (AttributeValue)i)])), new("shard", AttributeValue.FromArray([1L, 2L]))]),
        ], None);

        Assert.Empty(await store.GetTagValuesAsync("db.statement", 10, None));
        Assert.Empty(await store.GetTagValuesAsync("ids", 10, None));
        Assert.Equal(["[1,2]"], await store.GetTagValuesAsync("shard", 10, None));
        Assert.Equal(["postgresql"], await store.GetTagValuesAsync("db.system", 10, None));
        Assert.Contains("db.statement", await store.GetTagKeysAsync(None));
        Assert.Single(await store.SearchAsync(new TraceQuery { Attributes = [new("db.statement", statement)] }, None));
    }

    [Fact]
    public async Task Tag_keys_stop_growing_at_the_bound()
    {
        var store = new MemoryTraceStore(new MemoryStoreOptions { MaxTagKeys = 2 });
        var resource = new Resource([new("service.name", "frontend")]);

        await store.AppendAsync([_spans.Make(_spans.NewTraceId(), "GET /", resource, attributes: [new("b", 1), new("a", 2), new("c", 3)])], None);

        Assert.Equal(["b", "service.name"], await store.GetTagKeysAsync(None));
    }

    [Fact]
    public async Task Operations_per_service_stop_growing_at_the_bound()
    {
        var store = new MemoryTraceStore(new MemoryStoreOptions { MaxOperationsPerService = 2 });
        var traceId = _spans.NewTraceId();

        await store.AppendAsync([.. new[] { "GET /users/1", "GET /users/2", "GET /users/3" }.Select(name => _spans.Make(traceId, name))], None);

        Assert.Equal(2, (await store.GetOperationsAsync("frontend", None)).Count);
    }

    [Fact]
    public async Task A_batch_with_a_null_span_is_refused_whole()
    {
        var store = new MemoryTraceStore();
        var batch = _spans.CheckoutTrace(_spans.NewTraceId());
        batch[2] = null!;

        var error = await Assert.ThrowsAsync<ArgumentException>(async () => await store.AppendAsync(batch, None));

        Assert.Contains("Span 2", error.Message, StringComparison.Ordinal);
        Assert.Equal(new MemoryStoreStatistics(0, 0, 0, 0), store.Statistics);
    }

    [Fact]
    public async Task Reads_while_appends_run_see_every_batch_whole()
    {
        var store = new MemoryTraceStore(new MemoryStoreOptions { MaxSpans = 600 });
        var writer = Task.Run(async () =>
        {
            var spans = new SpanFactory(stream: 1);
            for (var i = 0; i < 2_000; i++)
            {
                var trace = spans.CheckoutTrace(spans.NewTraceId(), startMs: i);
                await store.AppendAsync(trace[..2], None);
                await store.AppendAsync(trace[2..], None);
            }
        });

        var searches = 0;
        while (!writer.IsCompleted || searches == 0)
        {
            searches++;
            foreach (var summary in await store.SearchAsync(new TraceQuery { Limit = 50 }, None))
            {
                // A trace is seen after its first batch (2 spans) or its second (3), never in between.
                Assert.Contains(summary.SpanCount, new[] { 2, 3 });
                Assert.Equal(summary.SpanCount, summary.Services.Sum(s => s.SpanCount));
                // It may have grown or been evicted since; never is it half a batch.
                Assert.Contains((await store.GetTraceAsync(summary.TraceId, None)).Count, new[] { 0, 2, 3 });
            }
            Assert.InRange(store.Statistics.Spans, 0, 600);
        }
        await writer;
    }

    [Theory]
    [InlineData(nameof(MemoryStoreOptions.MaxSpans))]
    [InlineData(nameof(MemoryStoreOptions.MaxTagValuesPerKey))]
    [InlineData(nameof(MemoryStoreOptions.MaxTagKeys))]
    public void Options_below_one_are_rejected_naming_the_option(string option)
    {
        var options = option switch
        {
            nameof(MemoryStoreOptions.MaxSpans) => new MemoryStoreOptions { MaxSpans = 0 },
            nameof(MemoryStoreOptions.MaxTagValuesPerKey) => new MemoryStoreOptions { MaxTagValuesPerKey = -1 },
            _ => new MemoryStoreOptions { MaxTagKeys = 0 },
        };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryTraceStore(options));

        Assert.Equal(option, error.ParamName);
        Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }
}
