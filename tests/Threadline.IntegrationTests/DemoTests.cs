using System.Diagnostics;
using Threadline.Core.Model;
using Threadline.Demo;
using Xunit.Abstractions;

namespace Threadline.IntegrationTests;

/// <summary>
/// Runs the real demo (six child processes) against the real server for a fixed budget of checkouts,
/// stops it, and then reads what arrived. Starting the processes dominates the time, so the run is
/// shared by every test here.
/// </summary>
public sealed class DemoRun : IAsyncLifetime
{
    public const int Checkouts = 20;

    private readonly StringWriter _serviceLog = new();
    private DemoLauncher? _demo;

    internal TestServer Server { get; private set; } = null!;
    public DemoTrafficStatistics Traffic { get; private set; }
    public IReadOnlyList<DemoServiceInfo> Services { get; private set; } = [];
    public bool AllServicesExited { get; private set; }
    public string ServiceLog => _serviceLog.ToString();

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync();
        _demo = await DemoLauncher.StartAsync(new DemoOptions
        {
            OtlpEndpoint = Server.OtlpGrpcEndpoint,
            ExecutablePath = DemoProgram.Locate(),
            RequestsPerSecond = 25,
            MaxRequests = Checkouts,
            // Rare paths made common, so that twenty checkouts surely hold some of each (1 in 4 exactly).
            DeclinedPaymentRatio = 0.25,
            SlowInventoryRatio = 0.25,
            Log = _serviceLog,
        });
        Services = _demo.Services;
        await _demo.TrafficCompleted.WaitAsync(TimeSpan.FromSeconds(60));
        Traffic = _demo.Traffic;
        // A graceful stop: every service exports its remaining spans before it exits.
        await _demo.DisposeAsync();
        AllServicesExited = _demo.AllServicesExited;
    }

    public async Task DisposeAsync()
    {
        if (_demo is not null) await _demo.DisposeAsync();
        await Server.DisposeAsync();
    }
}

public sealed class DemoTests(DemoRun run, ITestOutputHelper output) : IClassFixture<DemoRun>
{
    private static readonly string[] CheckoutServices = ["api-gateway", "order-service", "inventory-service", "payment-service", "notification-service"];

    [Fact]
    public void The_traffic_budget_is_spent_with_the_planned_declines_and_no_failures()
    {
        output.WriteLine(run.ServiceLog);
        Assert.Equal(DemoRun.Checkouts, run.Traffic.Sent);
        Assert.Equal(DemoRun.Checkouts / 4, run.Traffic.Declined);
        Assert.Equal(0, run.Traffic.Failed);
        Assert.Equal(DemoRun.Checkouts - (DemoRun.Checkouts / 4), run.Traffic.Confirmed);
    }

    [Fact]
    public void Disposing_the_launcher_stops_every_service_process()
    {
        Assert.True(run.AllServicesExited);
        Assert.Equal(6, run.Services.Count);
        foreach (var service in run.Services) Assert.False(IsRunning(service.ProcessId), $"{service.Name} (pid {service.ProcessId}) is still running.");
    }

    [Fact]
    public async Task Every_checkout_service_reports_under_its_own_service_name()
    {
        var services = await Eventually.GetAsync(ServicesAsync, names => CheckoutServices.All(names.Contains), "all five services");
        // The fake third party is not instrumented: it appears only as the callers' client spans.
        Assert.DoesNotContain("third-party", services);
    }

    [Fact]
    public async Task A_confirmed_checkout_is_one_tree_from_the_gateway_through_parallel_calls_to_payment_and_the_queue()
    {
        var trace = await ConfirmedCheckoutAsync();
        var byId = trace.ToDictionary(s => s.SpanId);

        var root = Assert.Single(trace, s => s.IsRoot);
        Assert.Equal("api-gateway", root.ServiceName);
        Assert.Equal(SpanKind.Server, root.Kind);
        Assert.Equal("POST /api/checkout", root.Name);
        Assert.All(trace, s => Assert.True(s.IsRoot || byId.ContainsKey(s.ParentSpanId), $"{s.ServiceName} '{s.Name}' has a parent that is not in the trace."));
        Assert.Equal(["api-gateway", "inventory-service", "order-service", "payment-service"], trace.Select(s => s.ServiceName).Distinct().Order());

        // Order creation and stock reservation start from the same span and overlap in time.
        var checkout = Assert.Single(trace, s => s.Name == "checkout" && s.ServiceName == "api-gateway");
        var orderServer = Assert.Single(trace, s => s.ServiceName == "order-service" && s.Name == "POST /orders");
        var inventoryServer = Assert.Single(trace, s => s.ServiceName == "inventory-service" && s.Name == "POST /reservations");
        var orderCall = byId[orderServer.ParentSpanId];
        var inventoryCall = byId[inventoryServer.ParentSpanId];
        Assert.Equal((SpanKind.Client, SpanKind.Client), (orderCall.Kind, inventoryCall.Kind));
        Assert.Equal((checkout.SpanId, checkout.SpanId), (orderCall.ParentSpanId, inventoryCall.ParentSpanId));
        Assert.True(orderCall.StartTimeUnixNano < inventoryCall.EndTimeUnixNano && inventoryCall.StartTimeUnixNano < orderCall.EndTimeUnixNano, "the two calls did not overlap");

        // Then the payment, and its call to the external provider.
        var paymentServer = Assert.Single(trace, s => s.ServiceName == "payment-service" && s.Kind == SpanKind.Server);
        Assert.Equal(checkout.SpanId, byId[paymentServer.ParentSpanId].ParentSpanId);
        var charge = Assert.Single(trace, s => s.Name == "charge card");
        Assert.Equal(StatusCode.Ok, charge.Status.Code);
        var providerCall = Assert.Single(trace, s => s.ParentSpanId == charge.SpanId && s.Scope.Name == "System.Net.Http");
        Assert.Equal(SpanKind.Client, providerCall.Kind);
        Assert.EndsWith("/v1/charges", Attribute(providerCall, "url.full"), StringComparison.Ordinal);

        // Every service's database work is a sqlite CLIENT span.
        var insert = Assert.Single(trace, s => s.Name == "INSERT orders");
        Assert.Equal(SpanKind.Client, insert.Kind);
        Assert.Equal("sqlite", Attribute(insert, "db.system.name"));
        Assert.Equal("INSERT", Attribute(insert, "db.operation.name"));
        Assert.Equal("orders", Attribute(insert, "db.collection.name"));
        Assert.StartsWith("INSERT INTO orders", Attribute(insert, "db.query.text"), StringComparison.Ordinal);
        Assert.Contains(trace, s => s.ServiceName == "inventory-service" && s.Name == "SELECT stock");
        Assert.Contains(trace, s => s.ServiceName == "payment-service" && s.Name == "INSERT payments");

        // The recommendations come from an LLM, described by the GenAI conventions.
        var chat = Assert.Single(trace, s => s.Name == "chat gpt-4o-mini");
        Assert.Equal(SpanKind.Client, chat.Kind);
        Assert.Equal(orderServer.SpanId, chat.ParentSpanId);
        Assert.Equal("chat", Attribute(chat, "gen_ai.operation.name"));
        Assert.Equal("openai", Attribute(chat, "gen_ai.provider.name"));
        Assert.Equal("gpt-4o-mini", Attribute(chat, "gen_ai.request.model"));
        Assert.True(AttributeValueOf(chat, "gen_ai.usage.input_tokens").AsInt() > 0);
        Assert.True(AttributeValueOf(chat, "gen_ai.usage.output_tokens").AsInt() > 0);
        Assert.Contains(AttributeValueOf(chat, "gen_ai.response.finish_reasons").AsArray(), reason => reason.AsString() is "stop" or "length");

        // Confirming the order publishes the notification.
        var publish = Assert.Single(trace, s => s.Kind == SpanKind.Producer);
        Assert.Equal(("order-service", "publish notifications"), (publish.ServiceName, publish.Name));
        Assert.Equal("notifications", Attribute(publish, "messaging.destination.name"));
    }

    [Fact]
    public async Task The_notification_is_consumed_in_its_own_trace_linked_to_the_producer_span()
    {
        var checkout = await ConfirmedCheckoutAsync();
        var publish = Assert.Single(checkout, s => s.Kind == SpanKind.Producer);

        var consumer = await Eventually.GetAsync(
            async () => await FindSpanAsync("notification-service", s => s.Kind == SpanKind.Consumer && s.Links.Any(l => l.SpanId == publish.SpanId)),
            span => span is not null,
            "the consumer span linked to " + publish.SpanId);
        Assert.Equal("process notifications", consumer!.Name);
        Assert.True(consumer.IsRoot);
        Assert.NotEqual(publish.TraceId, consumer.TraceId);
        var link = Assert.Single(consumer.Links);
        Assert.Equal((publish.TraceId, publish.SpanId), (link.TraceId, link.SpanId));
        Assert.Equal("process", Attribute(consumer, "messaging.operation.type"));

        var notification = await run.Server.Api.GetTraceAsync(consumer.TraceId.ToString());
        Assert.Contains(notification, s => s.Name == "INSERT notifications" && s.Kind == SpanKind.Client);
        Assert.Contains(notification, s => s.Name == "deliver email" && s.Events.Any(e => e.Name == "email.sent"));
    }

    [Fact]
    public async Task A_declined_card_ends_the_charge_in_error_with_the_exception_recorded()
    {
        var charge = await Eventually.GetAsync(
            () => FindSpanAsync("payment-service", s => s.Name == "charge card" && s.Status.Code == StatusCode.Error, "&status=error"),
            span => span is not null,
            "a declined charge");
        Assert.Equal("Payment declined", charge!.Status.Message);
        Assert.Equal("insufficient_funds", Attribute(charge, "payment.decline_reason"));
        var exception = Assert.Single(charge.Events, e => e.Name == "exception");
        Assert.Contains(new KeyValue("exception.type", "Threadline.Demo.Services.PaymentDeclinedException"), exception.Attributes);

        var trace = await run.Server.Api.GetTraceAsync(charge.TraceId.ToString());
        var checkout = Assert.Single(trace, s => s.Name == "checkout");
        Assert.Equal(StatusCode.Error, checkout.Status.Code);
        Assert.DoesNotContain(trace, s => s.Kind == SpanKind.Producer);
    }

    [Fact]
    public async Task A_bulk_order_takes_the_slow_inventory_query()
    {
        var scan = await Eventually.GetAsync(
            () => FindSpanAsync("inventory-service", s => s.Name == "SELECT stock_movements"),
            span => span is not null,
            "a bulk order's warehouse scan");
        Assert.Equal("sqlite", Attribute(scan!, "db.system.name"));
        Assert.True(scan!.DurationNanos > 50_000_000, $"the slow query took only {scan.DurationNanos / 1e6:0.0} ms");
    }

    private async Task<IReadOnlyList<Span>> ConfirmedCheckoutAsync()
    {
        // A confirmed checkout has no error span, and its spans arrive from four processes: wait for all.
        return await Eventually.GetAsync(
            async () =>
            {
                foreach (var traceId in await TraceIdsAsync("api-gateway", "&name=checkout&status=ok"))
                {
                    var trace = await run.Server.Api.GetTraceAsync(traceId);
                    if (trace.Any(s => s.Kind == SpanKind.Producer) && trace.Select(s => s.ServiceName).Distinct().Count() == 4) return trace;
                }
                return [];
            },
            trace => trace.Count > 0,
            "a complete confirmed checkout trace");
    }

    private async Task<Span?> FindSpanAsync(string service, Func<Span, bool> match, string extraQuery = "")
    {
        foreach (var traceId in await TraceIdsAsync(service, extraQuery))
        {
            var span = (await run.Server.Api.GetTraceAsync(traceId)).FirstOrDefault(match);
            if (span is not null) return span;
        }
        return null;
    }

    private async Task<List<string>> TraceIdsAsync(string service, string extraQuery)
    {
        using var found = await run.Server.Api.GetJsonAsync($"/api/v1/search?service={service}&limit=100{extraQuery}");
        return [.. found.RootElement.GetProperty("traces").EnumerateArray().Select(t => t.GetProperty("traceId").GetString()!)];
    }

    private async Task<List<string>> ServicesAsync()
    {
        using var services = await run.Server.Api.GetJsonAsync("/api/v1/services");
        return [.. services.RootElement.GetProperty("services").EnumerateArray().Select(s => s.GetString()!)];
    }

    private static string Attribute(Span span, string key) => AttributeValueOf(span, key).AsString();

    private static AttributeValue AttributeValueOf(Span span, string key) =>
        span.TryGetAttribute(key, out var value) ? value : throw new Xunit.Sdk.XunitException($"{span.ServiceName} '{span.Name}' has no attribute {key}.");

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
