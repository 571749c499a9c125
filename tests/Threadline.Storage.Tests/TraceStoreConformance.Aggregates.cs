using Threadline.Core.Model;
using Threadline.Storage.Aggregates;

namespace Threadline.Storage.Tests;

// Span metrics and service-graph edges kept at ingest.
public abstract partial class TraceStoreConformance
{
    private const double MinuteMs = 60_000;

    private static AggregateQuery Minutes(double fromMinute, double toMinute, string? service = null, int step = 0) => new()
    {
        StartTimeUnixNano = SpanFactory.At(fromMinute * MinuteMs),
        EndTimeUnixNano = SpanFactory.At(toMinute * MinuteMs),
        ServiceName = service,
        StepMinutes = step,
    };

    /// <summary>
    /// Minute 0: "GET /cart" on frontend with durations 1..100 ms, every tenth an error.
    /// Minute 2: five more at 1000 ms. Also, in minute 0, one payments span.
    /// </summary>
    private async Task<(ITraceStore Store, List<ulong> OkDurations)> StoreWithSpanMetricsAsync()
    {
        var store = CreateStore();
        var ok = new List<ulong>();
        var batch = new List<Span>();
        for (var i = 1; i <= 100; i++)
        {
            var failed = i % 10 == 0;
            batch.Add(_spans.Make(_spans.NewTraceId(), "GET /cart", SpanFactory.Frontend, startMs: i * 100, durationMs: i,
                status: failed ? StatusCode.Error : StatusCode.Unset));
            if (!failed) ok.Add((ulong)i * SpanFactory.Millisecond);
            // Spans of one key reach the store in several batches; the tallies must add up.
            if (batch.Count == 33)
            {
                await store.AppendAsync(batch.ToArray(), None);
                batch.Clear();
            }
        }
        for (var i = 0; i < 5; i++) batch.Add(_spans.Make(_spans.NewTraceId(), "GET /cart", SpanFactory.Frontend, startMs: 2 * MinuteMs + i, durationMs: 1_000));
        batch.Add(_spans.Make(_spans.NewTraceId(), "charge", SpanFactory.Payments, startMs: 500, durationMs: 7, kind: SpanKind.Internal));
        await store.AppendAsync(batch.ToArray(), None);
        return (store, ok);
    }

    [Fact]
    public async Task Span_metrics_count_spans_and_errors_per_service_name_kind_and_status()
    {
        var (store, _) = await StoreWithSpanMetricsAsync();

        var series = await store.GetSpanMetricsAsync(Minutes(0, 1), None);

        Assert.Equal(
        [
            (new SpanMetricsKey("frontend", "GET /cart", SpanKind.Server, StatusCode.Unset), 90L, 0L),
            (new SpanMetricsKey("frontend", "GET /cart", SpanKind.Server, StatusCode.Error), 10L, 10L),
            (new SpanMetricsKey("payments", "charge", SpanKind.Internal, StatusCode.Unset), 1L, 0L),
        ], series.Select(s => (s.Key, s.Total.Count, s.Total.ErrorCount)));
    }

    [Fact]
    public async Task Span_metrics_quantiles_are_within_one_percent_of_the_exact_durations()
    {
        var (store, ok) = await StoreWithSpanMetricsAsync();

        var series = (await store.GetSpanMetricsAsync(Minutes(0, 1, "frontend"), None)).Single(s => s.Key.StatusCode == StatusCode.Unset);

        ok.Sort();
        foreach (var q in new[] { 0, 0.5, 0.9, 0.99, 1 })
        {
            var exact = (double)ok[(int)Math.Floor(q * (ok.Count - 1))];
            var estimate = series.Total.Durations.Quantile(q);
            Assert.True(Math.Abs(estimate - exact) <= exact * DurationSketch.RelativeAccuracy, $"p{q * 100}: estimate {estimate} ns, exact {exact} ns");
        }
        Assert.Equal(ok.Sum(d => (double)d), series.Total.Durations.SumNanos);
    }

    [Fact]
    public async Task Span_metrics_merge_the_whole_minutes_starting_in_the_range_and_split_them_by_step()
    {
        var (store, _) = await StoreWithSpanMetricsAsync();
        var key = new SpanMetricsKey("frontend", "GET /cart", SpanKind.Server, StatusCode.Unset);

        var all = (await store.GetSpanMetricsAsync(Minutes(0, 3, step: 1), None)).Single(s => s.Key == key);
        Assert.Equal(95, all.Total.Count);
        Assert.Equal(1_000 * SpanFactory.Millisecond, all.Total.Durations.Quantile(1), (double)SpanFactory.Millisecond * 10);
        Assert.Equal([(SpanFactory.At(0), 90L), (SpanFactory.At(2 * MinuteMs), 5L)], all.Points.Select(p => (p.StartUnixNano, p.Tally.Count)));

        var wide = (await store.GetSpanMetricsAsync(Minutes(0, 3, step: 2), None)).Single(s => s.Key == key);
        Assert.Equal([(SpanFactory.At(0), 90L), (SpanFactory.At(2 * MinuteMs), 5L)], wide.Points.Select(p => (p.StartUnixNano, p.Tally.Count)));

        // Minute 0 starts before 30 s, so a range from 30 s leaves it out.
        var late = (await store.GetSpanMetricsAsync(Minutes(0.5, 3), None)).Single(s => s.Key == key);
        Assert.Equal(5, late.Total.Count);
        Assert.Empty(late.Points);
        Assert.Empty(await store.GetSpanMetricsAsync(Minutes(3, 10), None));
    }

    [Fact]
    public async Task Span_metrics_filter_by_service_and_tenant()
    {
        var (store, _) = await StoreWithSpanMetricsAsync();

        var payments = await store.GetSpanMetricsAsync(Minutes(0, 3, "payments"), None);
        Assert.Equal(["charge"], payments.Select(s => s.Key.SpanName));
        Assert.Empty(await store.GetSpanMetricsAsync(Minutes(0, 3) with { Tenant = new TenantId("acme") }, None));
        Assert.Equal(3, (await store.GetSpanMetricsAsync(new AggregateQuery { StartTimeUnixNano = 0, EndTimeUnixNano = ulong.MaxValue }, None)).Count);
    }

    [Fact]
    public async Task Aggregate_query_with_an_empty_range_or_negative_step_is_refused()
    {
        var store = CreateStore();

        var empty = await Assert.ThrowsAsync<ArgumentException>(async () => await store.GetSpanMetricsAsync(Minutes(2, 2), None));
        Assert.Contains("must be after its start", empty.Message);
        var step = await Assert.ThrowsAsync<ArgumentException>(async () => await store.GetServiceGraphAsync(Minutes(0, 2, step: -1), None));
        Assert.Contains("step", step.Message);
    }

    // ---- service graph ----

    private (Span Caller, Span Callee) Call(Resource from, Resource to, SpanKind callerKind = SpanKind.Client, SpanKind calleeKind = SpanKind.Server,
        double startMs = 0, double durationMs = 40, StatusCode calleeStatus = StatusCode.Unset)
    {
        var traceId = _spans.NewTraceId();
        var caller = _spans.Make(traceId, "call", from, startMs, durationMs, kind: callerKind);
        var callee = _spans.Make(traceId, "handle", to, startMs + 1, durationMs - 2, caller.SpanId, calleeKind, calleeStatus);
        return (caller, callee);
    }

    private static async Task<ServiceGraphEdge> SingleEdgeAsync(ITraceStore store) =>
        Assert.Single(await store.GetServiceGraphAsync(Minutes(0, 60), None));

    [Fact]
    public async Task Client_span_and_its_server_child_in_another_service_make_an_edge()
    {
        var store = CreateStore();
        var (client, server) = Call(SpanFactory.Frontend, SpanFactory.Checkout, durationMs: 40);

        await store.AppendAsync([client, server], None);

        var edge = await SingleEdgeAsync(store);
        Assert.Equal(new ServiceGraphKey("frontend", "checkout", ConnectionType.Call), edge.Key);
        Assert.Equal((1L, 0L), (edge.Total.Count, edge.Total.ErrorCount));
        Assert.Equal(40 * SpanFactory.Millisecond, edge.Total.Durations.Quantile(0.5), 0.4 * SpanFactory.Millisecond);
    }

    [Fact]
    public async Task Pairs_split_across_batches_in_either_order_make_edges_and_errors_count()
    {
        var store = CreateStore();
        var (client1, server1) = Call(SpanFactory.Frontend, SpanFactory.Checkout);
        var (client2, server2) = Call(SpanFactory.Frontend, SpanFactory.Checkout, startMs: 1_000, calleeStatus: StatusCode.Error);

        await store.AppendAsync([server1], None);
        await store.AppendAsync([client2], None);
        await store.AppendAsync([_spans.Make(_spans.NewTraceId(), "unrelated", SpanFactory.Payments)], None);
        await store.AppendAsync([client1, server2], None);

        var edge = await SingleEdgeAsync(store);
        Assert.Equal((2L, 1L), (edge.Total.Count, edge.Total.ErrorCount));
    }

    [Fact]
    public async Task Producer_and_consumer_make_a_messaging_edge_by_parent_or_by_link()
    {
        var store = CreateStore();
        var (producer, consumer) = Call(SpanFactory.Checkout, SpanFactory.Payments, SpanKind.Producer, SpanKind.Consumer);
        var linkedProducer = _spans.Make(_spans.NewTraceId(), "publish", SpanFactory.Checkout, 10, 2, kind: SpanKind.Producer);
        var linkedConsumer = WithEventsAndLinks(
            _spans.Make(_spans.NewTraceId(), "process", SpanFactory.Payments, 50, 10, kind: SpanKind.Consumer),
            [], [new SpanLink(linkedProducer.TraceId, linkedProducer.SpanId, "", [])]);

        await store.AppendAsync([consumer, linkedConsumer], None);
        await store.AppendAsync([producer, linkedProducer], None);

        var edge = await SingleEdgeAsync(store);
        Assert.Equal(new ServiceGraphKey("checkout", "payments", ConnectionType.Messaging), edge.Key);
        Assert.Equal(2, edge.Total.Count);
    }

    [Fact]
    public async Task Calls_within_one_service_and_mismatched_kinds_make_no_edge()
    {
        var store = CreateStore();
        var (client, server) = Call(SpanFactory.Checkout, SpanFactory.Checkout);
        var (producer, notConsumer) = Call(SpanFactory.Checkout, SpanFactory.Payments, SpanKind.Producer, SpanKind.Server);
        var (notClient, child) = Call(SpanFactory.Frontend, SpanFactory.Payments, SpanKind.Internal, SpanKind.Server);

        await store.AppendAsync([client, server, producer, notConsumer, notClient, child], None);

        Assert.Empty(await store.GetServiceGraphAsync(Minutes(0, 60), None));
    }

    [Fact]
    public async Task Service_graph_filters_edges_touching_a_service_and_merges_minutes()
    {
        var store = CreateStore();
        var (a1, b1) = Call(SpanFactory.Frontend, SpanFactory.Checkout, startMs: 0);
        var (a2, b2) = Call(SpanFactory.Frontend, SpanFactory.Checkout, startMs: 3 * MinuteMs);
        var (c, d) = Call(SpanFactory.Checkout, SpanFactory.Payments, startMs: 0);
        await store.AppendAsync([a1, b1, a2, b2, c, d], None);

        var touchingPayments = await store.GetServiceGraphAsync(Minutes(0, 60, "payments"), None);
        Assert.Equal([new ServiceGraphKey("checkout", "payments", ConnectionType.Call)], touchingPayments.Select(e => e.Key));
        Assert.Equal(2, (await store.GetServiceGraphAsync(Minutes(0, 60, "checkout"), None)).Count);

        var merged = (await store.GetServiceGraphAsync(Minutes(0, 60, step: 1), None)).Single(e => e.Key.Caller == "frontend");
        Assert.Equal(2, merged.Total.Count);
        Assert.Equal([SpanFactory.At(0), SpanFactory.At(3 * MinuteMs)], merged.Points.Select(p => p.StartUnixNano));
        Assert.Equal(1, (await store.GetServiceGraphAsync(Minutes(1, 60), None)).Single(e => e.Key.Caller == "frontend").Total.Count);
    }

    // ---- virtual nodes: callers whose partner never arrived ----

    /// <summary>
    /// True when the engine is reopened before every read (the log replayed): an unpaired span
    /// then waits afresh from the restart, so the virtual edge made before it is not there yet.
    /// </summary>
    protected virtual bool RestartsBeforeEachRead => false;

    private static readonly TimeSpan PastPairingWait = TimeSpan.FromSeconds(11);

    // Appends the caller, lets the pairing wait pass, then appends an unrelated batch: a wait ends
    // when the next batch arrives.
    private async Task<IReadOnlyList<ServiceGraphEdge>> EdgesAfterTheWaitAsync(params Span[] callers)
    {
        var clock = new ManualClock();
        var store = CreateStore(clock);
        await store.AppendAsync(callers, None);
        clock.Advance(PastPairingWait);
        await store.AppendAsync([_spans.Make(_spans.NewTraceId(), "tick", SpanFactory.Payments, kind: SpanKind.Internal)], None);
        return await store.GetServiceGraphAsync(Minutes(0, 60), None);
    }

    private Span Caller(SpanKind kind, StatusCode status = StatusCode.Unset, params KeyValue[] attributes) =>
        _spans.Make(_spans.NewTraceId(), "call", SpanFactory.Checkout, startMs: 100, durationMs: 30, kind: kind, status: status, attributes: attributes);

    [Fact]
    public async Task A_database_client_without_a_server_becomes_an_edge_to_a_database_node_after_the_wait()
    {
        var edges = await EdgesAfterTheWaitAsync(
            Caller(SpanKind.Client, attributes: [new("db.system.name", "postgresql"), new("db.namespace", "shop")]),
            Caller(SpanKind.Client, StatusCode.Error, [new("db.system", "postgresql"), new("db.name", "shop")]),
            Caller(SpanKind.Client, attributes: [new("db.system", "redis")]));

        if (RestartsBeforeEachRead)
        {
            Assert.Empty(edges);
            return;
        }
        Assert.Equal(
        [
            (new ServiceGraphKey("checkout", "db:postgresql/shop", ConnectionType.Database), 2L, 1L),
            (new ServiceGraphKey("checkout", "db:redis", ConnectionType.Database), 1L, 0L),
        ], edges.Select(e => (e.Key, e.Total.Count, e.Total.ErrorCount)));
        Assert.Equal(30 * SpanFactory.Millisecond, edges[0].Total.Durations.Quantile(0.5), 0.3 * SpanFactory.Millisecond);
    }

    [Fact]
    public async Task A_producer_without_a_consumer_becomes_an_edge_to_its_destination_after_the_wait()
    {
        var edges = await EdgesAfterTheWaitAsync(
            Caller(SpanKind.Producer, attributes: [new("messaging.system", "kafka"), new("messaging.destination.name", "orders")]),
            Caller(SpanKind.Producer, attributes: [new("messaging.destination.name", "no-system")]));

        if (RestartsBeforeEachRead)
        {
            Assert.Empty(edges);
            return;
        }
        Assert.Equal([new ServiceGraphKey("checkout", "messaging:kafka/orders", ConnectionType.MessagingSystem)], edges.Select(e => e.Key));
    }

    [Fact]
    public async Task A_client_naming_a_host_without_a_server_becomes_an_edge_to_an_external_node_after_the_wait()
    {
        var edges = await EdgesAfterTheWaitAsync(
            Caller(SpanKind.Client, attributes: [new("server.address", "API.Stripe.com"), new("url.full", "https://ignored.example/x")]),
            Caller(SpanKind.Client, attributes: [new("http.url", "https://api.stripe.com:443/v1/charges?id=7")]),
            Caller(SpanKind.Client, attributes: [new("peer.service", "geo-lookup")]),
            Caller(SpanKind.Client, attributes: [new("http.url", "not a url")]));

        if (RestartsBeforeEachRead)
        {
            Assert.Empty(edges);
            return;
        }
        Assert.Equal(
        [
            (new ServiceGraphKey("checkout", "external:api.stripe.com", ConnectionType.External), 2L),
            (new ServiceGraphKey("checkout", "external:geo-lookup", ConnectionType.External), 1L),
        ], edges.Select(e => (e.Key, e.Total.Count)));
    }

    [Fact]
    public async Task A_database_client_whose_server_arrives_in_time_is_a_service_edge_not_a_database_node()
    {
        var clock = new ManualClock();
        var store = CreateStore(clock);
        var traceId = _spans.NewTraceId();
        var client = _spans.Make(traceId, "SELECT", SpanFactory.Checkout, kind: SpanKind.Client, attributes: [new("db.system", "postgresql")]);
        var server = _spans.Make(traceId, "query", SpanFactory.Payments, parent: client.SpanId, kind: SpanKind.Server);

        await store.AppendAsync([client], None);
        clock.Advance(TimeSpan.FromSeconds(5));
        await store.AppendAsync([server], None);
        clock.Advance(PastPairingWait);
        await store.AppendAsync([_spans.Make(_spans.NewTraceId(), "tick", SpanFactory.Payments, kind: SpanKind.Internal)], None);

        var edge = await SingleEdgeAsync(store);
        Assert.Equal(new ServiceGraphKey("checkout", "payments", ConnectionType.Call), edge.Key);
    }

    [Fact]
    public async Task An_unpaired_client_still_waiting_makes_no_virtual_edge_yet()
    {
        var clock = new ManualClock();
        var store = CreateStore(clock);

        await store.AppendAsync([Caller(SpanKind.Client, attributes: [new("db.system", "postgresql")])], None);
        clock.Advance(TimeSpan.FromSeconds(5));
        await store.AppendAsync([_spans.Make(_spans.NewTraceId(), "tick", SpanFactory.Payments, kind: SpanKind.Internal)], None);

        Assert.Empty(await store.GetServiceGraphAsync(Minutes(0, 60), None));
    }
}
