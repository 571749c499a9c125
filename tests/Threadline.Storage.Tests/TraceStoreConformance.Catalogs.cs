using Threadline.Core.Model;
using Threadline.Storage.Fetch;

namespace Threadline.Storage.Tests;

// Catalogs over a time range.
public abstract partial class TraceStoreConformance
{
    private static CatalogRequest Between(double startMs, double endMs) =>
        new() { StartTimeUnixNano = SpanFactory.At(startMs), EndTimeUnixNano = SpanFactory.At(endMs) };

    /// <summary>A checkout trace in the first minute, an inventory trace in the third.</summary>
    private async Task<ITraceStore> StoreWithTwoWindowsAsync()
    {
        var store = CreateStore();
        await store.AppendAsync(_spans.CheckoutTrace(_spans.NewTraceId(), startMs: 0), None);
        var inventory = SpanFactory.Service("inventory", "pod-inventory-1");
        var traceId = _spans.NewTraceId();
        var reserve = WithEventsAndLinks(
            _spans.Make(traceId, "reserve", inventory, 120_000, 30, kind: SpanKind.Consumer,
                attributes: [new("messaging.system", "kafka"), new("order.items", 5), new("order.items", "five"), new("http.response.status_code", 200)]),
            [new SpanEvent(SpanFactory.At(120_010), "retry", [new("retry.attempt", 2)])],
            [new SpanLink(_spans.NewTraceId(), _spans.NewSpanId(), "", [new("link.kind", "batch")])]);
        await store.AppendAsync([reserve], None);
        return store;
    }

    [Fact]
    public async Task Services_and_operations_are_listed_per_time_range()
    {
        var store = await StoreWithTwoWindowsAsync();

        Assert.Equal(["checkout", "frontend", "payments"], await store.GetServicesAsync(Between(0, 60_000), None));
        Assert.Equal(["inventory"], await store.GetServicesAsync(Between(60_000, 180_000), None));
        Assert.Equal(["checkout", "frontend", "inventory", "payments"], await store.GetServicesAsync(new CatalogRequest(), None));
        Assert.Empty(await store.GetServicesAsync(Between(200_000, 300_000), None));
        Assert.Equal([new Operation("reserve", SpanKind.Consumer)], await store.GetOperationsAsync(Between(60_000, 180_000), "inventory", None));
        Assert.Empty(await store.GetOperationsAsync(Between(0, 60_000), "inventory", None));
        Assert.Equal([new Operation("POST /checkout", SpanKind.Server)], await store.GetOperationsAsync(Between(0, 60_000), "frontend", None));
    }

    [Fact]
    public async Task Attribute_keys_are_listed_per_scope_and_time_range()
    {
        var store = await StoreWithTwoWindowsAsync();
        var late = Between(60_000, 180_000);

        Assert.Equal(["http.response.status_code", "messaging.system", "order.items"], await store.GetAttributeKeysAsync(late, ConditionScope.Span, None));
        Assert.Equal(["host.name", "service.name", "service.version", "telemetry.sdk.language"], await store.GetAttributeKeysAsync(late, ConditionScope.Resource, None));
        Assert.Equal(["retry.attempt"], await store.GetAttributeKeysAsync(late, ConditionScope.Event, None));
        Assert.Equal(["link.kind"], await store.GetAttributeKeysAsync(late, ConditionScope.Link, None));
        Assert.DoesNotContain("db.system", await store.GetAttributeKeysAsync(late, ConditionScope.Span, None));
        Assert.Contains("db.system", await store.GetAttributeKeysAsync(Between(0, 60_000), ConditionScope.Span, None));
        Assert.Empty(await store.GetAttributeKeysAsync(Between(0, 60_000), ConditionScope.Event, None));
    }

    [Fact]
    public async Task Attribute_values_keep_their_type_and_are_listed_per_time_range()
    {
        var store = await StoreWithTwoWindowsAsync();

        // 5 and "five" under one key are two values of two types; integers sort after strings.
        var values = await store.GetAttributeValuesAsync(new CatalogRequest(), ConditionScope.Span, "order.items", 10, None);
        Assert.Equal([AttributeValue.FromString("five"), AttributeValue.FromInt(3), AttributeValue.FromInt(5)], values);

        var codes = await store.GetAttributeValuesAsync(Between(0, 60_000), ConditionScope.Span, "http.response.status_code", 10, None);
        Assert.Equal([AttributeValue.FromInt(200)], codes);
        Assert.Equal([AttributeValue.FromInt(2)], await store.GetAttributeValuesAsync(new CatalogRequest(), ConditionScope.Event, "retry.attempt", 10, None));
        Assert.Single(await store.GetAttributeValuesAsync(new CatalogRequest(), ConditionScope.Span, "order.items", 1, None));
        Assert.Empty(await store.GetAttributeValuesAsync(Between(0, 60_000), ConditionScope.Resource, "order.items", 10, None));
    }

    [Fact]
    public async Task Catalogs_for_another_tenant_are_empty()
    {
        var store = await StoreWithTwoWindowsAsync();
        var acme = new CatalogRequest { Tenant = new TenantId("acme") };

        Assert.Empty(await store.GetServicesAsync(acme, None));
        Assert.Empty(await store.GetAttributeKeysAsync(acme, ConditionScope.Span, None));
    }

    [Fact]
    public async Task Empty_store_answers_every_query_engine_read_with_nothing()
    {
        var store = CreateStore();
        var everything = new CatalogRequest();
        var aggregates = new Threadline.Storage.Aggregates.AggregateQuery { StartTimeUnixNano = 0, EndTimeUnixNano = ulong.MaxValue, StepMinutes = 0 };

        Assert.Empty(await FetchAllAsync(store, new FetchSpansRequest()));
        Assert.Empty(await store.GetTraceAsync(new TraceByIdRequest(_spans.NewTraceId()), None));
        Assert.Empty(await store.GetServicesAsync(everything, None));
        Assert.Empty(await store.GetOperationsAsync(everything, "frontend", None));
        Assert.Empty(await store.GetAttributeKeysAsync(everything, ConditionScope.Any, None));
        Assert.Empty(await store.GetAttributeValuesAsync(everything, ConditionScope.Any, "http.route", 10, None));
        Assert.Empty(await store.GetSpanMetricsAsync(aggregates, None));
        Assert.Empty(await store.GetServiceGraphAsync(aggregates, None));
    }

    [Fact]
    public async Task Intrinsic_scope_is_refused_by_the_attribute_catalogs()
    {
        var store = CreateStore();

        var e = await Assert.ThrowsAsync<ArgumentException>(async () => await store.GetAttributeKeysAsync(new CatalogRequest(), ConditionScope.Intrinsic, None));
        Assert.Contains("Intrinsic", e.Message);
    }
}
