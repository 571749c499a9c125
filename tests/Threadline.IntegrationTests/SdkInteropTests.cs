using System.Diagnostics;
using Threadline.Core.Model;
using Threadline.IntegrationTests.Interop;

namespace Threadline.IntegrationTests;

/// <summary>
/// A trace crosses real HTTP between services traced by different SDKs, the official OpenTelemetry
/// .NET SDK and Threadline.Sdk, each writing and reading the headers with its own propagator, and
/// arrives in Threadline as one tree: storefront → orders → payments.
/// </summary>
[Collection(ProcessGlobalTracingCollection.Name)]
public sealed class SdkInteropTests
{
    private const string TraceState = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7";

    public static TheoryData<string, string, string> Chains => new()
    {
        { "opentelemetry", "threadline", "opentelemetry" },
        { "threadline", "opentelemetry", "threadline" },
    };

    [Theory]
    [MemberData(nameof(Chains))]
    public async Task A_trace_crossing_both_sdks_over_http_is_one_tree_with_each_span_under_its_caller(string storefrontSdk, string ordersSdk, string paymentsSdk)
    {
        await using var server = await TestServer.StartAsync();
        // Declared in calling order, so disposed in reverse: each Threadline session restores the propagator it replaced.
        await using var storefront = CreateSide(storefrontSdk, "storefront", server.OtlpGrpcEndpoint);
        await using var orders = CreateSide(ordersSdk, "orders", server.OtlpGrpcEndpoint);
        await using var payments = CreateSide(paymentsSdk, "payments", server.OtlpGrpcEndpoint);
        using var http = InteropService.CreateClient();

        await using var paymentsService = await InteropService.StartAsync(request =>
        {
            using var span = payments.StartServer("POST /payments", request);
            span.SetTag("tenant", payments.Tenant(span));
            using var authorize = payments.StartChild("authorize", ActivityKind.Internal);
            return Task.CompletedTask;
        });
        await using var ordersService = await InteropService.StartAsync(async request =>
        {
            using var span = orders.StartServer("POST /orders", request);
            await CallAsync(orders, "POST /payments", paymentsService.Endpoint, http);
        });

        ActivityTraceId traceId;
        using (var root = storefront.StartRoot("checkout", TraceState, tenant: "acme"))
        {
            traceId = root.TraceId;
            await CallAsync(storefront, "POST /orders", ordersService.Endpoint, http);
        }
        foreach (var side in new[] { payments, orders, storefront }) await side.FlushAsync();

        var trace = await Eventually.GetAsync(() => server.Api.GetTraceAsync(traceId), spans => spans.Count >= 6, "the six spans");
        Assert.Equal(6, trace.Count);
        Assert.All(trace, span => Assert.Equal(traceId.ToHexString(), span.TraceId.ToString()));

        var checkout = Find(trace, storefront, "checkout", SpanKind.Server);
        var callOrders = Find(trace, storefront, "POST /orders", SpanKind.Client);
        var serveOrders = Find(trace, orders, "POST /orders", SpanKind.Server);
        var callPayments = Find(trace, orders, "POST /payments", SpanKind.Client);
        var servePayments = Find(trace, payments, "POST /payments", SpanKind.Server);
        var authorize = Find(trace, payments, "authorize", SpanKind.Internal);

        Assert.True(checkout.IsRoot);
        Assert.Equal(checkout.SpanId, callOrders.ParentSpanId);
        Assert.Equal(callOrders.SpanId, serveOrders.ParentSpanId);
        Assert.Equal(serveOrders.SpanId, callPayments.ParentSpanId);
        Assert.Equal(callPayments.SpanId, servePayments.ParentSpanId);
        Assert.Equal(servePayments.SpanId, authorize.ParentSpanId);

        // The vendor's tracestate and the baggage made both hops too.
        Assert.All(trace, span => Assert.Equal(TraceState, span.TraceState));
        Assert.Contains(new KeyValue("tenant", "acme"), servePayments.Attributes);
    }

    private static TracingSide CreateSide(string sdk, string serviceName, Uri otlpGrpcEndpoint) => sdk switch
    {
        "opentelemetry" => new OpenTelemetrySide(serviceName, otlpGrpcEndpoint),
        "threadline" => new ThreadlineSide(serviceName, otlpGrpcEndpoint),
        _ => throw new ArgumentOutOfRangeException(nameof(sdk), sdk, "opentelemetry or threadline"),
    };

    /// <summary>A CLIENT span around a real HTTP call whose trace headers only <paramref name="caller"/>'s SDK wrote.</summary>
    private static async Task CallAsync(TracingSide caller, string name, Uri endpoint, HttpClient http)
    {
        using var span = caller.StartChild(name, ActivityKind.Client);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent("{}") };
        caller.Inject(span, request);
        Assert.True(request.Headers.Contains("traceparent"), $"{caller.ServiceName} wrote no traceparent.");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }

    private static Span Find(IReadOnlyList<Span> trace, TracingSide side, string name, SpanKind kind)
    {
        var span = Assert.Single(trace, s => s.ServiceName == side.ServiceName && s.Name == name && s.Kind == kind);
        Assert.Equal(side.Source.Name, span.Scope.Name);
        return span;
    }
}
