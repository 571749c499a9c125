using Threadline.Core.Model;

namespace Threadline.Storage.Tests;

/// <summary>
/// The behaviour every <see cref="ITraceStore"/> engine must show. An engine's tests subclass
/// this and supply <see cref="CreateStore"/>; engines are compared on behaviour only, so
/// nothing here looks inside a store.
/// </summary>
public abstract partial class TraceStoreConformance
{
    private readonly SpanFactory _spans = new();

    /// <summary>A new, empty store; each test makes its own.</summary>
    protected ITraceStore CreateStore() => CreateStore(TimeProvider.System);

    /// <summary>A new, empty store whose service-graph pairing waits on <paramref name="clock"/>.</summary>
    protected abstract ITraceStore CreateStore(TimeProvider clock);

    private static CancellationToken None => CancellationToken.None;

    // ---- append and get ----

    [Fact]
    public async Task Append_then_get_returns_every_field_unchanged()
    {
        var store = CreateStore();
        var traceId = _spans.NewTraceId();
        var resource = new Resource(
        [
            new("service.name", "inventory"),
            new("service.namespace", "shop"),
            new("deployment.environment.name", "staging"),
        ], droppedAttributesCount: 2, schemaUrl: "https://opentelemetry.io/schemas/1.26.0");
        var scope = new InstrumentationScope("Inventory.Messaging", "2.1.0", [new("library.flavour", "kafka")], 1, "https://opentelemetry.io/schemas/1.24.0");
        var linkedTrace = _spans.NewTraceId();
        var linkedSpan = _spans.NewSpanId();
        var parent = _spans.NewSpanId();

        var everything = new Span
        {
            TraceId = traceId,
            SpanId = _spans.NewSpanId(),
            ParentSpanId = parent,
            TraceState = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE",
            Flags = 0x301,
            Name = "process stock-reserved ✓",
            Kind = SpanKind.Consumer,
            StartTimeUnixNano = SpanFactory.At(10) + 123,
            EndTimeUnixNano = SpanFactory.At(35) + 7,
            Attributes =
            [
                new("messaging.system", "kafka"),
                new("messaging.batch.message_count", 42L),
                new("messaging.kafka.offset", long.MinValue),
                new("retry", true),
                new("not.retry", false),
                new("ratio", -0.125),
                new("tiny", double.Epsilon),
                new("payload.hash", AttributeValue.FromBytes([0x00, 0xff, 0x10, 0x80])),
                new("empty.bytes", AttributeValue.FromBytes([])),
                new("tags", AttributeValue.FromArray(["a", 1L, true, 2.5, AttributeValue.FromArray(["nested"])])),
                new("headers", AttributeValue.FromKeyValueList([new("content-type", "application/json"), new("inner", AttributeValue.FromKeyValueList([new("depth", 2L)]))])),
                new("nothing", AttributeValue.Empty),
                new("empty.string", ""),
                new("unicode", "grüße 日本 🚀"),
            ],
            DroppedAttributesCount = 3,
            Events =
            [
                new SpanEvent(SpanFactory.At(12), "exception", [new("exception.type", "TimeoutException"), new("exception.escaped", true)], 1),
                new SpanEvent(SpanFactory.At(20), "retry", []),
            ],
            DroppedEventsCount = 4,
            Links = [new SpanLink(linkedTrace, linkedSpan, "vendor=x", [new("link.reason", "batch")], 5, 0x1)],
            DroppedLinksCount = 6,
            Status = new SpanStatus(StatusCode.Error, "stock service timed out"),
            Resource = resource,
            Scope = scope,
        };
        var plain = new Span
        {
            TraceId = traceId,
            SpanId = parent,
            Name = "POST /reserve",
            StartTimeUnixNano = SpanFactory.At(0),
            EndTimeUnixNano = SpanFactory.At(50),
        };

        await store.AppendAsync([everything, plain], None);
        var stored = await store.GetTraceAsync(traceId, None);

        Assert.Equal(2, stored.Count);
        SpanAssert.Equal(plain, stored[0]);
        SpanAssert.Equal(everything, stored[1]);
    }

    [Fact]
    public async Task Get_of_unknown_trace_is_empty()
    {
        var store = CreateStore();
        await store.AppendAsync(_spans.CheckoutTrace(_spans.NewTraceId()), None);

        Assert.Empty(await store.GetTraceAsync(_spans.NewTraceId(), None));
    }

    [Fact]
    public async Task Empty_store_answers_every_read_with_nothing()
    {
        var store = CreateStore();

        Assert.Empty(await store.GetTraceAsync(_spans.NewTraceId(), None));
        Assert.Empty(await store.SearchAsync(new TraceQuery(), None));
        Assert.Empty(await store.GetServicesAsync(None));
        Assert.Empty(await store.GetOperationsAsync("frontend", None));
        Assert.Empty(await store.GetTagKeysAsync(None));
        Assert.Empty(await store.GetTagValuesAsync("http.request.method", 10, None));
    }

    [Fact]
    public async Task Appending_an_empty_batch_stores_nothing()
    {
        var store = CreateStore();

        await store.AppendAsync([], None);

        Assert.Empty(await store.SearchAsync(new TraceQuery(), None));
    }

    [Fact]
    public async Task Spans_of_one_trace_arriving_across_appends_out_of_order_come_back_by_start_time()
    {
        var store = CreateStore();
        var traceId = _spans.NewTraceId();
        var (root, checkout, payments) = Unpack(_spans.CheckoutTrace(traceId));

        await store.AppendAsync([payments], None);
        await store.AppendAsync([root], None);
        await store.AppendAsync([checkout], None);

        var stored = await store.GetTraceAsync(traceId, None);
        Assert.Equal([root.SpanId, checkout.SpanId, payments.SpanId], stored.Select(s => s.SpanId));
    }

    [Fact]
    public async Task Spans_of_several_traces_in_one_batch_are_kept_apart()
    {
        var store = CreateStore();
        var first = _spans.CheckoutTrace(_spans.NewTraceId());
        var second = _spans.CheckoutTrace(_spans.NewTraceId(), startMs: 5);
        Span[] interleaved = [first[0], second[0], second[1], first[1], first[2], second[2]];

        await store.AppendAsync(interleaved, None);

        Assert.Equal(first.Select(s => s.SpanId), (await store.GetTraceAsync(first[0].TraceId, None)).Select(s => s.SpanId));
        Assert.Equal(second.Select(s => s.SpanId), (await store.GetTraceAsync(second[0].TraceId, None)).Select(s => s.SpanId));
    }

    [Fact]
    public async Task A_trace_read_earlier_does_not_change_when_more_spans_arrive()
    {
        var store = CreateStore();
        var traceId = _spans.NewTraceId();
        var (root, checkout, payments) = Unpack(_spans.CheckoutTrace(traceId));
        await store.AppendAsync([root, checkout], None);

        var before = await store.GetTraceAsync(traceId, None);
        await store.AppendAsync([payments], None);

        Assert.Equal([root.SpanId, checkout.SpanId], before.Select(s => s.SpanId));
        Assert.Equal(3, (await store.GetTraceAsync(traceId, None)).Count);
    }

    [Fact]
    public async Task Append_with_a_cancelled_token_throws()
    {
        var store = CreateStore();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await store.AppendAsync(_spans.CheckoutTrace(_spans.NewTraceId()), cancelled.Token));
    }

    [Fact]
    public async Task Concurrent_appends_from_several_tasks_lose_nothing()
    {
        const int Writers = 6;
        const int TracesPerWriter = 60;
        var store = CreateStore();

        // Besides its own traces, every writer adds spans to one shared trace, so appends to
        // the same trace race as well.
        var shared = _spans.NewTraceId();
        var writers = Enumerable.Range(1, Writers).Select(writer => Task.Run(async () =>
        {
            var spans = new SpanFactory(writer);
            var own = new List<TraceId>();
            for (var i = 0; i < TracesPerWriter; i++)
            {
                var traceId = spans.NewTraceId();
                own.Add(traceId);
                var batch = spans.CheckoutTrace(traceId, startMs: i).Append(spans.Make(shared, $"poll {writer}", startMs: i, parent: spans.NewSpanId()));
                await store.AppendAsync([.. batch], None);
            }
            return own;
        })).ToArray();
        var traceIds = (await Task.WhenAll(writers)).SelectMany(ids => ids).ToList();

        foreach (var traceId in traceIds)
            Assert.Equal(3, (await store.GetTraceAsync(traceId, None)).Count);
        Assert.Equal(Writers * TracesPerWriter, (await store.GetTraceAsync(shared, None)).Count);
        var all = await store.SearchAsync(new TraceQuery { Limit = TraceQuery.MaxLimit }, None);
        Assert.Equal(Writers * TracesPerWriter + 1, all.Count);
        Assert.Equal(Writers * TracesPerWriter * 4, all.Sum(t => t.SpanCount));
    }

    // ---- summaries ----

    [Fact]
    public async Task Summary_describes_the_whole_trace()
    {
        var store = CreateStore();
        var traceId = _spans.NewTraceId();
        await store.AppendAsync(_spans.CheckoutTrace(traceId, startMs: 1_000, paymentsFails: true), None);

        var summary = Assert.Single(await store.SearchAsync(new TraceQuery(), None));

        Assert.Equal(traceId, summary.TraceId);
        Assert.Equal("frontend", summary.RootServiceName);
        Assert.Equal("POST /checkout", summary.RootSpanName);
        Assert.Equal(SpanFactory.At(1_000), summary.StartTimeUnixNano);
        Assert.Equal(120 * SpanFactory.Millisecond, summary.DurationNanos);
        Assert.Equal(3, summary.SpanCount);
        Assert.Equal(2, summary.ErrorCount);
        Assert.Equal(
            [new ServiceSpanCount("checkout", 1, 1), new ServiceSpanCount("frontend", 1, 0), new ServiceSpanCount("payments", 1, 1)],
            summary.Services);
    }

    [Fact]
    public async Task Summary_duration_runs_from_earliest_start_to_latest_end_whichever_spans_they_are()
    {
        var store = CreateStore();
        var traceId = _spans.NewTraceId();
        var root = _spans.Make(traceId, "GET /orders", startMs: 10, durationMs: 20);
        // Clock skew or async work: a child starting before and ending after its parent.
        var early = _spans.Make(traceId, "cache lookup", startMs: 4, durationMs: 2, parent: root.SpanId);
        var late = _spans.Make(traceId, "publish audit", startMs: 25, durationMs: 40, parent: root.SpanId, kind: SpanKind.Producer);
        await store.AppendAsync([root, early, late], None);

        var summary = Assert.Single(await store.SearchAsync(new TraceQuery(), None));

        Assert.Equal(SpanFactory.At(4), summary.StartTimeUnixNano);
        Assert.Equal(61 * SpanFactory.Millisecond, summary.DurationNanos);
        Assert.Equal("GET /orders", summary.RootSpanName);
    }

    [Fact]
    public async Task Summary_names_the_earliest_span_while_the_root_is_missing_and_the_root_once_it_arrives()
    {
        var store = CreateStore();
        var traceId = _spans.NewTraceId();
        var (root, checkout, payments) = Unpack(_spans.CheckoutTrace(traceId));
        await store.AppendAsync([payments, checkout], None);

        var withoutRoot = Assert.Single(await store.SearchAsync(new TraceQuery(), None));
        Assert.Equal("checkout", withoutRoot.RootServiceName);
        Assert.Equal("PlaceOrder", withoutRoot.RootSpanName);
        Assert.Equal(checkout.StartTimeUnixNano, withoutRoot.StartTimeUnixNano);
        Assert.Equal(2, withoutRoot.SpanCount);

        await store.AppendAsync([root], None);

        var complete = Assert.Single(await store.SearchAsync(new TraceQuery(), None));
        Assert.Equal("frontend", complete.RootServiceName);
        Assert.Equal("POST /checkout", complete.RootSpanName);
        Assert.Equal(root.StartTimeUnixNano, complete.StartTimeUnixNano);
        Assert.Equal(3, complete.SpanCount);
    }

    [Fact]
    public async Task Summary_counts_spans_and_errors_per_service()
    {
        var store = CreateStore();
        var traceId = _spans.NewTraceId();
        var root = _spans.Make(traceId, "GET /cart", SpanFactory.Frontend);
        Span[] spans =
        [
            root,
            _spans.Make(traceId, "GetCart", SpanFactory.Checkout, 1, parent: root.SpanId, status: StatusCode.Error),
            _spans.Make(traceId, "GetCart", SpanFactory.Checkout, 2, parent: root.SpanId, status: StatusCode.Error),
            _spans.Make(traceId, "GetCart", SpanFactory.Checkout, 3, parent: root.SpanId, status: StatusCode.Ok),
            _spans.Make(traceId, "render", SpanFactory.Frontend, 4, parent: root.SpanId, kind: SpanKind.Internal),
        ];
        await store.AppendAsync(spans[..2], None);
        await store.AppendAsync(spans[2..], None);

        var summary = Assert.Single(await store.SearchAsync(new TraceQuery(), None));

        Assert.Equal(5, summary.SpanCount);
        Assert.Equal(2, summary.ErrorCount);
        Assert.Equal([new ServiceSpanCount("checkout", 3, 2), new ServiceSpanCount("frontend", 2, 0)], summary.Services);
    }

    // ---- search: each filter alone ----

    [Fact]
    public async Task Search_without_filters_returns_every_trace_newest_first()
    {
        var (store, traces) = await StoreWithShopTraffic();

        var found = await store.SearchAsync(new TraceQuery { Limit = 100 }, None);

        Assert.Equal(traces.NewestFirst, found.Select(t => t.TraceId));
    }

    [Fact]
    public async Task Search_by_service_matches_any_span_of_that_service_not_only_the_root()
    {
        var (store, traces) = await StoreWithShopTraffic();

        var found = await store.SearchAsync(new TraceQuery { ServiceName = "payments", Limit = 100 }, None);

        Assert.Equal([traces.FailedCheckout, traces.Checkout], found.Select(t => t.TraceId));
        Assert.All(found, t => Assert.Equal("frontend", t.RootServiceName));
    }

    [Fact]
    public async Task Search_by_unknown_service_finds_nothing()
    {
        var (store, _) = await StoreWithShopTraffic();

        Assert.Empty(await store.SearchAsync(new TraceQuery { ServiceName = "ledger" }, None));
    }

    [Fact]
    public async Task Search_by_span_name()
    {
        var (store, traces) = await StoreWithShopTraffic();

        var found = await store.SearchAsync(new TraceQuery { SpanName = "GET /health" }, None);

        Assert.Equal([traces.Health], found.Select(t => t.TraceId));
    }

    [Fact]
    public async Task Search_by_kind()
    {
        var (store, traces) = await StoreWithShopTraffic();

        var clients = await store.SearchAsync(new TraceQuery { Kind = SpanKind.Client }, None);
        var producers = await store.SearchAsync(new TraceQuery { Kind = SpanKind.Producer }, None);

        Assert.Equal([traces.FailedCheckout, traces.Checkout], clients.Select(t => t.TraceId));
        Assert.Empty(producers);
    }

    [Fact]
    public async Task Search_by_status()
    {
        var (store, traces) = await StoreWithShopTraffic();

        var errors = await store.SearchAsync(new TraceQuery { Status = StatusCode.Error }, None);
        var ok = await store.SearchAsync(new TraceQuery { Status = StatusCode.Ok }, None);
        var unset = await store.SearchAsync(new TraceQuery { Status = StatusCode.Unset }, None);

        Assert.Equal([traces.FailedCheckout], errors.Select(t => t.TraceId));
        Assert.Equal([traces.Checkout], ok.Select(t => t.TraceId));
        Assert.Equal(traces.NewestFirst, unset.Select(t => t.TraceId));
    }

    [Fact]
    public async Task Search_by_minimum_duration_includes_the_bound()
    {
        var (store, traces) = await StoreWithShopTraffic();

        var atLeast120 = await store.SearchAsync(new TraceQuery { MinDurationNanos = 120 * SpanFactory.Millisecond }, None);
        var above120 = await store.SearchAsync(new TraceQuery { MinDurationNanos = 120 * SpanFactory.Millisecond + 1 }, None);

        Assert.Equal([traces.FailedCheckout, traces.Checkout], atLeast120.Select(t => t.TraceId));
        Assert.Empty(above120);
    }

    [Fact]
    public async Task Search_by_maximum_duration_includes_the_bound()
    {
        var (store, traces) = await StoreWithShopTraffic();

        var atMost2 = await store.SearchAsync(new TraceQuery { MaxDurationNanos = 2 * SpanFactory.Millisecond }, None);
        var below2 = await store.SearchAsync(new TraceQuery { MaxDurationNanos = 2 * SpanFactory.Millisecond - 1 }, None);

        Assert.Equal([traces.Health], atMost2.Select(t => t.TraceId));
        Assert.Empty(below2);
    }

    [Fact]
    public async Task Search_by_span_attribute_compares_text()
    {
        var (store, traces) = await StoreWithShopTraffic();

        var byString = await store.SearchAsync(Attribute("url.path", "/checkout"), None);
        var byInteger = await store.SearchAsync(Attribute("http.response.status_code", "500"), None);
        var byBool = await store.SearchAsync(Attribute("cache.hit", "true"), None);

        Assert.Equal([traces.FailedCheckout, traces.Checkout], byString.Select(t => t.TraceId));
        Assert.Equal([traces.FailedCheckout], byInteger.Select(t => t.TraceId));
        Assert.Equal([traces.Health], byBool.Select(t => t.TraceId));
    }

    [Fact]
    public async Task Search_by_resource_attribute()
    {
        var (store, traces) = await StoreWithShopTraffic();

        var found = await store.SearchAsync(Attribute("host.name", "pod-payments-2b1d"), None);

        Assert.Equal([traces.FailedCheckout, traces.Checkout], found.Select(t => t.TraceId));
    }

    [Fact]
    public async Task Search_by_attribute_needs_the_key_and_the_exact_value()
    {
        var (store, _) = await StoreWithShopTraffic();

        Assert.Empty(await store.SearchAsync(Attribute("url.path", "/Checkout"), None));
        Assert.Empty(await store.SearchAsync(Attribute("url.path", "/check"), None));
        Assert.Empty(await store.SearchAsync(Attribute("user.id", "/checkout"), None));
    }

    [Fact]
    public async Task Search_by_attribute_uses_the_span_value_over_a_resource_value_with_the_same_key()
    {
        var store = CreateStore();
        var traceId = _spans.NewTraceId();
        var resource = new Resource([new("service.name", "frontend"), new("deployment.environment.name", "production")]);
        await store.AppendAsync([_spans.Make(traceId, "GET /", resource, attributes: new KeyValue("deployment.environment.name", "canary"))], None);

        Assert.Single(await store.SearchAsync(Attribute("deployment.environment.name", "canary"), None));
        Assert.Empty(await store.SearchAsync(Attribute("deployment.environment.name", "production"), None));
    }

    [Fact]
    public async Task Search_by_time_range_matches_spans_starting_inside_it_bounds_included()
    {
        var store = CreateStore();
        var early = _spans.NewTraceId();
        var middle = _spans.NewTraceId();
        var late = _spans.NewTraceId();
        var longRunning = _spans.NewTraceId();
        var root = _spans.Make(longRunning, "nightly export", startMs: 0, durationMs: 5_000, kind: SpanKind.Internal);
        await store.AppendAsync(
        [
            _spans.Make(early, "GET /a", startMs: 0),
            _spans.Make(middle, "GET /b", startMs: 1_000),
            _spans.Make(late, "GET /c", startMs: 2_000),
            // The trace starts before the range, but one of its spans starts inside it.
            root,
            _spans.Make(longRunning, "write chunk", startMs: 1_500, parent: root.SpanId, kind: SpanKind.Client),
        ], None);

        var inRange = await store.SearchAsync(new TraceQuery { StartTimeUnixNano = SpanFactory.At(1_000), EndTimeUnixNano = SpanFactory.At(1_500) }, None);
        var fromOnly = await store.SearchAsync(new TraceQuery { StartTimeUnixNano = SpanFactory.At(1_600) }, None);
        var untilOnly = await store.SearchAsync(new TraceQuery { EndTimeUnixNano = SpanFactory.At(999) }, None);

        Assert.Equal([middle, longRunning], inRange.Select(t => t.TraceId));
        Assert.Equal([late], fromOnly.Select(t => t.TraceId));
        // Both start at 0: the order between them is not part of the contract.
        Assert.Equal(new[] { early, longRunning }.Order(), untilOnly.Select(t => t.TraceId).Order());
    }

    [Fact]
    public async Task Search_returns_at_most_the_limit_keeping_the_newest()
    {
        var store = CreateStore();
        var traceIds = new List<TraceId>();
        foreach (var startMs in new[] { 3_000, 1_000, 4_000, 0, 2_000 })
        {
            var traceId = _spans.NewTraceId();
            traceIds.Add(traceId);
            await store.AppendAsync(_spans.CheckoutTrace(traceId, startMs), None);
        }

        var found = await store.SearchAsync(new TraceQuery { Limit = 3 }, None);

        Assert.Equal([traceIds[2], traceIds[0], traceIds[4]], found.Select(t => t.TraceId));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task Search_with_a_limit_below_one_returns_the_newest_trace(int limit)
    {
        var (store, traces) = await StoreWithShopTraffic();

        var found = await store.SearchAsync(new TraceQuery { Limit = limit }, None);

        Assert.Equal([traces.NewestFirst[0]], found.Select(t => t.TraceId));
    }

    [Fact]
    public async Task Search_with_a_limit_above_the_maximum_is_clamped_not_rejected()
    {
        var (store, traces) = await StoreWithShopTraffic();

        var found = await store.SearchAsync(new TraceQuery { Limit = int.MaxValue }, None);

        Assert.Equal(traces.NewestFirst, found.Select(t => t.TraceId));
    }

    // ---- search: filters combined, all on one span ----

    [Fact]
    public async Task Search_with_combined_filters_matches_when_one_span_satisfies_them_all()
    {
        var (store, traces) = await StoreWithShopTraffic();

        var found = await store.SearchAsync(new TraceQuery
        {
            ServiceName = "payments",
            SpanName = "SELECT payments",
            Kind = SpanKind.Client,
            Status = StatusCode.Error,
            MinDurationNanos = 60 * SpanFactory.Millisecond,
            MaxDurationNanos = 60 * SpanFactory.Millisecond,
            StartTimeUnixNano = SpanFactory.At(2_000),
            EndTimeUnixNano = SpanFactory.At(2_100),
            Attributes = [new("db.system", "postgresql"), new("host.name", "pod-payments-2b1d")],
        }, None);

        Assert.Equal([traces.FailedCheckout], found.Select(t => t.TraceId));
    }

    [Fact]
    public async Task Search_does_not_match_when_the_filters_hold_only_on_different_spans()
    {
        var store = CreateStore();
        var split = _spans.NewTraceId();
        var together = _spans.NewTraceId();
        await store.AppendAsync(
        [
            // checkout has an error on a quick span and a slow span without error.
            _spans.Make(split, "GetCart", SpanFactory.Checkout, 0, 10, status: StatusCode.Error),
            _spans.Make(split, "GetCart", SpanFactory.Checkout, 20, 500, parent: _spans.NewSpanId()),
            // Here the slow span is the failing one.
            _spans.Make(together, "GetCart", SpanFactory.Checkout, 1_000, 500, status: StatusCode.Error),
        ], None);

        var found = await store.SearchAsync(new TraceQuery
        {
            ServiceName = "checkout",
            Status = StatusCode.Error,
            MinDurationNanos = 100 * SpanFactory.Millisecond,
        }, None);

        Assert.Equal([together], found.Select(t => t.TraceId));
    }

    [Fact]
    public async Task Search_does_not_match_a_service_and_an_attribute_found_on_different_spans()
    {
        var (store, _) = await StoreWithShopTraffic();

        // db.system is on the payments span, not on any frontend span.
        var found = await store.SearchAsync(new TraceQuery { ServiceName = "frontend", Attributes = [new("db.system", "postgresql")] }, None);

        Assert.Empty(found);
    }

    [Fact]
    public async Task Search_does_not_match_a_span_name_outside_the_time_range()
    {
        var (store, traces) = await StoreWithShopTraffic();

        // The first checkout's root outlasts the range start, but its "SELECT payments" span
        // starts before it.
        var found = await store.SearchAsync(new TraceQuery
        {
            SpanName = "SELECT payments",
            StartTimeUnixNano = SpanFactory.At(1_030),
        }, None);

        Assert.Equal([traces.FailedCheckout], found.Select(t => t.TraceId));
    }

    // ---- catalogs ----

    [Fact]
    public async Task Services_are_listed_once_each_sorted_ordinally()
    {
        var (store, _) = await StoreWithShopTraffic();
        await store.AppendAsync([_spans.Make(_spans.NewTraceId(), "GET /", SpanFactory.Service("Zeta", "z-1"))], None);

        Assert.Equal(["Zeta", "checkout", "frontend", "payments"], await store.GetServicesAsync(None));
    }

    [Fact]
    public async Task A_resource_without_service_name_is_listed_as_unknown_service()
    {
        var store = CreateStore();
        await store.AppendAsync([_spans.Make(_spans.NewTraceId(), "GET /", Resource.Empty)], None);

        Assert.Equal([Resource.UnknownServiceName], await store.GetServicesAsync(None));
        Assert.Single(await store.SearchAsync(new TraceQuery { ServiceName = Resource.UnknownServiceName }, None));
    }

    [Fact]
    public async Task Operations_are_listed_per_service_by_name_then_kind()
    {
        var (store, _) = await StoreWithShopTraffic();
        await store.AppendAsync(
        [
            _spans.Make(_spans.NewTraceId(), "GET /health", SpanFactory.Frontend, kind: SpanKind.Client),
            _spans.Make(_spans.NewTraceId(), "GET /health", SpanFactory.Frontend, kind: SpanKind.Server),
        ], None);

        Assert.Equal(
            [new Operation("GET /health", SpanKind.Server), new Operation("GET /health", SpanKind.Client), new Operation("POST /checkout", SpanKind.Server)],
            await store.GetOperationsAsync("frontend", None));
        Assert.Equal([new Operation("SELECT payments", SpanKind.Client)], await store.GetOperationsAsync("payments", None));
        Assert.Empty(await store.GetOperationsAsync("ledger", None));
    }

    [Fact]
    public async Task Tag_keys_include_span_and_resource_attribute_keys_sorted_ordinally()
    {
        var (store, _) = await StoreWithShopTraffic();

        var keys = await store.GetTagKeysAsync(None);

        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        Assert.Equal(keys.Distinct(), keys);
        Assert.Contains("http.response.status_code", keys);
        Assert.Contains("db.statement", keys);
        Assert.Contains("cache.hit", keys);
        Assert.Contains("service.name", keys);
        Assert.Contains("host.name", keys);
    }

    [Fact]
    public async Task Tag_values_are_distinct_texts_sorted_ordinally_up_to_the_limit()
    {
        var (store, _) = await StoreWithShopTraffic();
        var traceId = _spans.NewTraceId();
        await store.AppendAsync(
        [
            _spans.Make(traceId, "GET /missing", attributes: new KeyValue("http.response.status_code", 404)),
            _spans.Make(traceId, "GET /again", attributes: new KeyValue("http.response.status_code", 200)),
        ], None);

        Assert.Equal(["200", "404", "500"], await store.GetTagValuesAsync("http.response.status_code", 10, None));
        Assert.Equal(["200", "404"], await store.GetTagValuesAsync("http.response.status_code", 2, None));
        Assert.Equal(["checkout", "frontend", "payments"], await store.GetTagValuesAsync("service.name", 10, None));
        Assert.Equal(["true"], await store.GetTagValuesAsync("cache.hit", 10, None));
        Assert.Empty(await store.GetTagValuesAsync("user.id", 10, None));
    }

    // ---- helpers ----

    /// <summary>The traces of <see cref="StoreWithShopTraffic"/>, by what makes each one distinct.</summary>
    private sealed record ShopTraffic(TraceId Checkout, TraceId Health, TraceId FailedCheckout)
    {
        public TraceId[] NewestFirst => [FailedCheckout, Health, Checkout];
    }

    /// <summary>
    /// Three traces a second apart: a successful checkout (three services, one Ok client span)
    /// at 1 s, a 2 ms health check with a bool attribute at 1.5 s, and a failing checkout at 2 s.
    /// </summary>
    private async Task<(ITraceStore Store, ShopTraffic Traces)> StoreWithShopTraffic()
    {
        var store = CreateStore();
        var traffic = new ShopTraffic(_spans.NewTraceId(), _spans.NewTraceId(), _spans.NewTraceId());
        await store.AppendAsync(_spans.CheckoutTrace(traffic.Checkout, startMs: 1_000), None);
        await store.AppendAsync([_spans.Make(traffic.Health, "GET /health", startMs: 1_500, durationMs: 2, attributes: new KeyValue("cache.hit", true))], None);
        await store.AppendAsync(_spans.CheckoutTrace(traffic.FailedCheckout, startMs: 2_000, paymentsFails: true), None);
        return (store, traffic);
    }

    private static TraceQuery Attribute(string key, string value) => new() { Attributes = [new(key, value)] };

    private static (Span Root, Span Checkout, Span Payments) Unpack(Span[] checkoutTrace) =>
        (checkoutTrace[0], checkoutTrace[1], checkoutTrace[2]);
}
