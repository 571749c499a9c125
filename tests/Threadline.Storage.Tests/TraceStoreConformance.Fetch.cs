using Threadline.Core.Model;
using Threadline.Storage.Fetch;

namespace Threadline.Storage.Tests;

// The fetch primitive and trace by id with hints.
public abstract partial class TraceStoreConformance
{
    /// <summary>
    /// Whether the engine evaluates conditions exactly. The contract allows a superset (conditions
    /// are hints); an engine that only prunes overrides this, and the fetch cases then check that
    /// nothing matching is missing instead of checking the exact set.
    /// </summary>
    protected virtual bool FetchIsExact => true;

    private static readonly Resource Shop = new(
    [
        new("service.name", "shop"),
        new("deployment.environment.name", "prod"),
    ]);

    /// <summary>
    /// Four spans of one trace with every attribute type: the checkout server span failed with
    /// a 503 and has an exception event and a retry link; the others succeeded.
    /// </summary>
    private sealed record FetchFixture(Span Root, Span Cart, Span Checkout, Span Search)
    {
        public Span[] All => [Root, Cart, Checkout, Search];
    }

    private async Task<(ITraceStore Store, FetchFixture Data)> StoreWithFetchFixtureAsync()
    {
        var store = CreateStore();
        var traceId = _spans.NewTraceId();
        var root = _spans.Make(traceId, "GET /", SpanFactory.Frontend, 0, 400, kind: SpanKind.Server,
            attributes: [new("http.response.status_code", 200), new("http.route", "/"), new("ratio", 1.0), new("cache.hit", true)]);
        var cart = _spans.Make(traceId, "GET /cart", Shop, 10, 20, root.SpanId, SpanKind.Client, StatusCode.Ok,
            attributes: [new("http.response.status_code", 404), new("http.route", "/cart"), new("ratio", 0.25), new("cache.hit", false), new("code.text", "500")]);
        var checkout = WithEventsAndLinks(
            _spans.Make(traceId, "POST /checkout", Shop, 40, 250, root.SpanId, SpanKind.Server, StatusCode.Error,
                attributes: [new("http.response.status_code", 503), new("http.route", "/checkout"), new("ratio", 0.75), new("cache.hit", false)]),
            [new SpanEvent(SpanFactory.At(100), "exception", [new("exception.type", "TimeoutException")])],
            [new SpanLink(_spans.NewTraceId(), _spans.NewSpanId(), "", [new("link.reason", "retry")])]);
        var search = _spans.Make(traceId, "GET /search", Shop, 300, 50, root.SpanId, SpanKind.Internal,
            attributes: [new("http.response.status_code", 500), new("http.route", "/search"), new("ratio", 0.5)]);
        await store.AppendAsync([root, cart, checkout, search], None);
        return (store, new FetchFixture(root, cart, checkout, search));
    }

    private static Span WithEventsAndLinks(Span span, SpanEvent[] events, SpanLink[] links) => new()
    {
        TraceId = span.TraceId, SpanId = span.SpanId, ParentSpanId = span.ParentSpanId, Name = span.Name, Kind = span.Kind,
        StartTimeUnixNano = span.StartTimeUnixNano, EndTimeUnixNano = span.EndTimeUnixNano, Attributes = span.Attributes,
        Status = span.Status, Resource = span.Resource, Scope = span.Scope, Flags = span.Flags, Events = events, Links = links,
    };

    private static async Task<List<Spanset>> FetchAllAsync(ITraceStore store, FetchSpansRequest request)
    {
        var sets = new List<Spanset>();
        await foreach (var set in store.FetchSpansAsync(request, None)) sets.Add(set);
        return sets;
    }

    private async Task AssertFetchesAsync(ITraceStore store, FetchSpansRequest request, params Span[] expected)
    {
        var got = (await FetchAllAsync(store, request)).SelectMany(s => s.Spans).Select(s => s.SpanId).ToHashSet();
        var wanted = expected.Select(s => s.SpanId).ToHashSet();
        var conditions = string.Join(request.AllConditions ? " && " : " || ", request.Conditions);
        if (FetchIsExact) Assert.True(wanted.SetEquals(got), $"{conditions}: expected [{string.Join(", ", wanted)}], got [{string.Join(", ", got)}]");
        else Assert.True(wanted.IsSubsetOf(got), $"{conditions}: missing {string.Join(", ", wanted.Except(got))}");
    }

    private static FetchSpansRequest Where(params Condition[] conditions) => new() { Conditions = conditions };

    private static Condition Span(string key, ConditionOperator op, StaticValue value) => new(ConditionScope.Span, key, op, value);

    [Fact]
    public async Task Fetch_compares_integers_numerically_with_every_operator()
    {
        var (store, d) = await StoreWithFetchFixtureAsync();
        const string code = "http.response.status_code";

        await AssertFetchesAsync(store, Where(Span(code, ConditionOperator.Equal, StaticValue.Int(503))), d.Checkout);
        await AssertFetchesAsync(store, Where(Span(code, ConditionOperator.NotEqual, StaticValue.Int(503))), d.Root, d.Cart, d.Search);
        await AssertFetchesAsync(store, Where(Span(code, ConditionOperator.Less, StaticValue.Int(404))), d.Root);
        await AssertFetchesAsync(store, Where(Span(code, ConditionOperator.LessOrEqual, StaticValue.Int(404))), d.Root, d.Cart);
        // As text "503" > "1000" but not as numbers: the comparison must be numeric.
        await AssertFetchesAsync(store, Where(Span(code, ConditionOperator.Greater, StaticValue.Int(1000))));
        await AssertFetchesAsync(store, Where(Span(code, ConditionOperator.GreaterOrEqual, StaticValue.Int(500))), d.Checkout, d.Search);
    }

    [Fact]
    public async Task Fetch_integer_operand_does_not_match_a_string_attribute_nor_a_string_operand_an_integer()
    {
        var (store, d) = await StoreWithFetchFixtureAsync();

        await AssertFetchesAsync(store, Where(Span("code.text", ConditionOperator.Equal, StaticValue.Int(500))));
        await AssertFetchesAsync(store, Where(Span("code.text", ConditionOperator.Equal, StaticValue.String("500"))), d.Cart);
        await AssertFetchesAsync(store, Where(Span("http.response.status_code", ConditionOperator.Equal, StaticValue.String("500"))));
    }

    [Fact]
    public async Task Fetch_compares_doubles_with_doubles_and_integers()
    {
        var (store, d) = await StoreWithFetchFixtureAsync();

        await AssertFetchesAsync(store, Where(Span("ratio", ConditionOperator.Greater, StaticValue.Double(0.5))), d.Root, d.Checkout);
        await AssertFetchesAsync(store, Where(Span("ratio", ConditionOperator.Equal, StaticValue.Int(1))), d.Root);
        await AssertFetchesAsync(store, Where(Span("http.response.status_code", ConditionOperator.GreaterOrEqual, StaticValue.Double(500.5))), d.Checkout);
    }

    [Fact]
    public async Task Fetch_compares_bools_by_equality()
    {
        var (store, d) = await StoreWithFetchFixtureAsync();

        await AssertFetchesAsync(store, Where(Span("cache.hit", ConditionOperator.Equal, StaticValue.Bool(true))), d.Root);
        // The search span has no cache.hit: a missing attribute satisfies not even !=.
        await AssertFetchesAsync(store, Where(Span("cache.hit", ConditionOperator.NotEqual, StaticValue.Bool(true))), d.Cart, d.Checkout);
    }

    [Fact]
    public async Task Fetch_compares_strings_ordinally_and_by_regular_expression()
    {
        var (store, d) = await StoreWithFetchFixtureAsync();
        const string route = "http.route";

        await AssertFetchesAsync(store, Where(Span(route, ConditionOperator.Equal, StaticValue.String("/cart"))), d.Cart);
        await AssertFetchesAsync(store, Where(Span(route, ConditionOperator.Greater, StaticValue.String("/cart"))), d.Checkout, d.Search);
        await AssertFetchesAsync(store, Where(Span(route, ConditionOperator.Regex, StaticValue.String("^/c(art|heckout)$"))), d.Cart, d.Checkout);
        await AssertFetchesAsync(store, Where(Span(route, ConditionOperator.NotRegex, StaticValue.String("^/c"))), d.Root, d.Search);
    }

    [Fact]
    public async Task Fetch_looks_in_the_scope_asked_for()
    {
        var (store, d) = await StoreWithFetchFixtureAsync();
        var prod = StaticValue.String("prod");

        await AssertFetchesAsync(store, Where(new Condition(ConditionScope.Resource, "deployment.environment.name", ConditionOperator.Equal, prod)), d.Cart, d.Checkout, d.Search);
        await AssertFetchesAsync(store, Where(new Condition(ConditionScope.Span, "deployment.environment.name", ConditionOperator.Equal, prod)));
        await AssertFetchesAsync(store, Where(new Condition(ConditionScope.Any, "deployment.environment.name", ConditionOperator.Equal, prod)), d.Cart, d.Checkout, d.Search);
        await AssertFetchesAsync(store, Where(new Condition(ConditionScope.Event, "exception.type", ConditionOperator.Equal, StaticValue.String("TimeoutException"))), d.Checkout);
        await AssertFetchesAsync(store, Where(new Condition(ConditionScope.Span, "exception.type", ConditionOperator.Exists)));
        await AssertFetchesAsync(store, Where(new Condition(ConditionScope.Link, "link.reason", ConditionOperator.Equal, StaticValue.String("retry"))), d.Checkout);
        await AssertFetchesAsync(store, Where(new Condition(ConditionScope.Resource, "link.reason", ConditionOperator.Exists)));
    }

    [Fact]
    public async Task Fetch_tests_intrinsic_name_duration_kind_and_status()
    {
        var (store, d) = await StoreWithFetchFixtureAsync();

        await AssertFetchesAsync(store, Where(new Condition(ConditionScope.Intrinsic, Intrinsics.Name, ConditionOperator.Regex, StaticValue.String("^GET "))), d.Root, d.Cart, d.Search);
        await AssertFetchesAsync(store, Where(new Condition(ConditionScope.Intrinsic, Intrinsics.Duration, ConditionOperator.Greater, StaticValue.Duration(200 * SpanFactory.Millisecond))), d.Root, d.Checkout);
        await AssertFetchesAsync(store, Where(new Condition(ConditionScope.Intrinsic, Intrinsics.Kind, ConditionOperator.Equal, StaticValue.Kind(SpanKind.Client))), d.Cart);
        await AssertFetchesAsync(store, Where(new Condition(ConditionScope.Intrinsic, Intrinsics.Status, ConditionOperator.Equal, StaticValue.Status(StatusCode.Error))), d.Checkout);
        await AssertFetchesAsync(store, Where(new Condition(ConditionScope.Intrinsic, Intrinsics.ServiceName, ConditionOperator.Equal, StaticValue.String("frontend"))), d.Root);
    }

    [Fact]
    public async Task Fetch_with_all_conditions_needs_every_one_and_without_needs_any()
    {
        var (store, d) = await StoreWithFetchFixtureAsync();
        Condition[] conditions =
        [
            Span("http.response.status_code", ConditionOperator.GreaterOrEqual, StaticValue.Int(500)),
            new(ConditionScope.Intrinsic, Intrinsics.Kind, ConditionOperator.Equal, StaticValue.Kind(SpanKind.Server)),
        ];

        await AssertFetchesAsync(store, new FetchSpansRequest { Conditions = conditions, AllConditions = true }, d.Checkout);
        await AssertFetchesAsync(store, new FetchSpansRequest { Conditions = conditions, AllConditions = false }, d.Root, d.Checkout, d.Search);
    }

    [Fact]
    public async Task Fetch_only_condition_filters_nothing_and_returns_the_attribute_where_present()
    {
        var (store, d) = await StoreWithFetchFixtureAsync();
        var request = Where(
            Condition.Select(ConditionScope.Span, "cache.hit"),
            Span("http.response.status_code", ConditionOperator.GreaterOrEqual, StaticValue.Int(500)));

        await AssertFetchesAsync(store, request, d.Checkout, d.Search);
        await AssertFetchesAsync(store, Where(Condition.Select(ConditionScope.Span, "cache.hit")), d.All);

        var spans = (await FetchAllAsync(store, request)).SelectMany(s => s.Spans).ToDictionary(s => s.SpanId);
        Assert.Contains(new FetchedAttribute(ConditionScope.Span, "cache.hit", false), spans[d.Checkout.SpanId].Attributes);
        Assert.Contains(new FetchedAttribute(ConditionScope.Span, "http.response.status_code", 503L), spans[d.Checkout.SpanId].Attributes);
        Assert.DoesNotContain(spans[d.Search.SpanId].Attributes, a => a.Name == "cache.hit");
    }

    [Fact]
    public async Task Fetch_keeps_spans_starting_in_the_range_with_the_end_excluded()
    {
        var (store, d) = await StoreWithFetchFixtureAsync();

        await AssertFetchesAsync(store, new FetchSpansRequest { StartTimeUnixNano = SpanFactory.At(10), EndTimeUnixNano = SpanFactory.At(300) }, d.Cart, d.Checkout);
        await AssertFetchesAsync(store, new FetchSpansRequest { StartTimeUnixNano = SpanFactory.At(301) });
        await AssertFetchesAsync(store, new FetchSpansRequest { EndTimeUnixNano = SpanFactory.At(10) }, d.Root);
        await AssertFetchesAsync(store, new FetchSpansRequest { StartTimeUnixNano = SpanFactory.At(1_000), EndTimeUnixNano = SpanFactory.At(2_000) });
    }

    [Fact]
    public async Task Fetch_spanset_carries_the_whole_traces_fields_even_when_the_root_is_out_of_range()
    {
        var (store, d) = await StoreWithFetchFixtureAsync();
        var other = _spans.CheckoutTrace(_spans.NewTraceId(), startMs: 5_000);
        await store.AppendAsync(other, None);

        var sets = await FetchAllAsync(store, new FetchSpansRequest
        {
            StartTimeUnixNano = SpanFactory.At(20),
            Conditions = [new Condition(ConditionScope.Intrinsic, Intrinsics.Status, ConditionOperator.Equal, StaticValue.Status(StatusCode.Error))],
        });

        var set = Assert.Single(sets);
        Assert.Equal(d.Root.TraceId, set.TraceId);
        Assert.Equal("frontend", set.RootServiceName);
        Assert.Equal("GET /", set.RootSpanName);
        Assert.Equal(SpanFactory.At(0), set.TraceStartUnixNano);
        Assert.Equal(SpanFactory.At(400), set.TraceEndUnixNano);
        var span = Assert.Single(set.Spans);
        Assert.Equal(d.Checkout.SpanId, span.SpanId);
        Assert.Equal(d.Root.SpanId, span.ParentSpanId);
        Assert.Equal("shop", span.ServiceName);
        Assert.Equal(SpanKind.Server, span.Kind);
        Assert.Equal(StatusCode.Error, span.Status.Code);
        Assert.Equal(250 * SpanFactory.Millisecond, span.DurationNanos);
    }

    [Fact]
    public async Task Fetch_for_another_tenant_finds_nothing_of_the_single_tenant()
    {
        var (store, _) = await StoreWithFetchFixtureAsync();

        Assert.Empty(await FetchAllAsync(store, new FetchSpansRequest { Tenant = new TenantId("acme") }));
        Assert.NotEmpty(await FetchAllAsync(store, new FetchSpansRequest { Tenant = TenantId.Single }));
    }

    [Fact]
    public async Task Fetch_stops_when_the_caller_stops_enumerating()
    {
        var store = CreateStore();
        for (var i = 0; i < 50; i++) await store.AppendAsync(_spans.CheckoutTrace(_spans.NewTraceId(), startMs: i * 1_000), None);

        var taken = 0;
        await foreach (var _ in store.FetchSpansAsync(new FetchSpansRequest(), None))
        {
            if (++taken == 3) break;
        }

        Assert.Equal(3, taken);
        Assert.Equal(50, (await FetchAllAsync(store, new FetchSpansRequest())).Count);
    }

    // ---- trace by id with hints ----

    [Fact]
    public async Task Trace_by_id_with_a_hint_window_overlapping_the_trace_returns_all_its_spans()
    {
        var store = CreateStore();
        var traceId = _spans.NewTraceId();
        var spans = _spans.CheckoutTrace(traceId, startMs: 60_000);
        await store.AppendAsync(spans, None);

        // The window covers only the end of the trace; the whole trace still comes back.
        var hinted = await store.GetTraceAsync(new TraceByIdRequest(traceId) { StartHintUnixNano = SpanFactory.At(60_100), EndHintUnixNano = SpanFactory.At(61_000) }, None);
        var unhinted = await store.GetTraceAsync(new TraceByIdRequest(traceId), None);

        Assert.Equal(spans.Select(s => s.SpanId).Order(), hinted.Select(s => s.SpanId).Order());
        Assert.Equal(spans.Select(s => s.SpanId).Order(), unhinted.Select(s => s.SpanId).Order());
    }

    [Fact]
    public async Task Trace_by_id_outside_its_hint_window_or_for_another_tenant_is_empty()
    {
        var store = CreateStore();
        var traceId = _spans.NewTraceId();
        await store.AppendAsync(_spans.CheckoutTrace(traceId, startMs: 60_000), None);

        Assert.Empty(await store.GetTraceAsync(new TraceByIdRequest(traceId) { EndHintUnixNano = SpanFactory.At(60_000) }, None));
        Assert.Empty(await store.GetTraceAsync(new TraceByIdRequest(traceId) { StartHintUnixNano = SpanFactory.At(60_121) }, None));
        Assert.Empty(await store.GetTraceAsync(new TraceByIdRequest(traceId) { Tenant = new TenantId("acme") }, None));
        Assert.Empty(await store.GetTraceAsync(new TraceByIdRequest(_spans.NewTraceId()), None));
    }
}
