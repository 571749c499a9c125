using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Threadline.Demo.Hosting;
using Threadline.Sdk;

namespace Threadline.Demo.Services;

/// <summary>
/// api-gateway: <c>POST /api/checkout</c> creates the order and reserves stock in parallel, charges the
/// card, then confirms (or cancels) the order. Its server span is the root of every checkout trace.
/// </summary>
internal sealed class ApiGatewayService : ServiceApplication
{
    public override string Name => DemoServiceNames.ApiGateway;

    public override void ConfigureServices(IServiceCollection services) => services.AddSingleton<CheckoutFlow>();

    public override void MapEndpoints(WebApplication app) =>
        app.MapPost("/api/checkout", (CheckoutRequest request, CheckoutFlow flow, CancellationToken cancellationToken) =>
            flow.RunAsync(request, cancellationToken));

    private sealed class CheckoutFlow(HttpClient http, PeerDirectory peers)
    {
        public async Task<IResult> RunAsync(CheckoutRequest request, CancellationToken cancellationToken)
        {
            var orderId = "ord_" + Guid.NewGuid().ToString("n")[..12];
            var server = Activity.Current;
            server.SetAttribute("user.tier", request.UserTier);
            // Baggage rides along on every call below, so downstream services know the tier too.
            server?.AddBaggage("user.tier", request.UserTier);

            using var span = DemoTelemetry.Checkout.StartSpan(
                "checkout",
                ActivityKind.Internal,
                [
                    new("order.id", orderId),
                    new("user.id", request.UserId),
                    new("user.tier", request.UserTier),
                    new("cart.item_count", (long)request.Items.Sum(i => i.Quantity)),
                ]);

            if (request.Items.Length == 0 || request.Items.Any(i => i.Quantity <= 0))
            {
                span.SetSpanStatus(ActivityStatusCode.Error, "empty cart or non-positive quantity");
                return Results.BadRequest(new { error = "The cart must hold at least one item, each with a positive quantity." });
            }
            await SimulatedWork.DelayAsync(3, 0.4, cancellationToken).ConfigureAwait(false);
            span.AddEvent("cart.validated", [new("cart.line_count", (long)request.Items.Length)]);

            // Order and stock do not depend on each other: both calls start from this span, side by side.
            var creating = http.PostJsonAsync<CreateOrderRequest, CreateOrderResponse>(
                peers.Resolve(DemoServiceNames.OrderService, "/orders"),
                new CreateOrderRequest(orderId, request.UserId, request.Items, request.Currency),
                cancellationToken);
            var reserving = http.PostJsonAsync<ReservationRequest, ReservationResponse>(
                peers.Resolve(DemoServiceNames.InventoryService, "/reservations"),
                new ReservationRequest(orderId, request.Items),
                cancellationToken);
            await Task.WhenAll(creating, reserving).ConfigureAwait(false);
            var order = await creating.ConfigureAwait(false);
            var reservation = await reserving.ConfigureAwait(false);
            if (!order.IsSuccess || order.Body is null || !reservation.IsSuccess)
            {
                span.SetSpanStatus(ActivityStatusCode.Error, $"order {(int)order.Status}, reservation {(int)reservation.Status}");
                return Results.Problem($"Could not place the order (order-service {(int)order.Status}, inventory-service {(int)reservation.Status}).", statusCode: StatusCodes.Status502BadGateway);
            }
            span.SetAttribute("order.amount_cents", order.Body.AmountCents);

            var payment = await http.PostJsonAsync<PaymentRequest, PaymentResponse>(
                peers.Resolve(DemoServiceNames.PaymentService, "/payments"),
                new PaymentRequest(orderId, order.Body.AmountCents, request.Currency, request.PaymentToken),
                cancellationToken).ConfigureAwait(false);

            if (payment.IsSuccess && payment.Body?.PaymentId is { } paymentId)
            {
                await http.PostJsonAsync<ConfirmOrderRequest, object>(
                    peers.Resolve(DemoServiceNames.OrderService, $"/orders/{orderId}/confirm"), new ConfirmOrderRequest(paymentId), cancellationToken).ConfigureAwait(false);
                span.AddEvent("checkout.completed");
                span.SetSpanStatus(ActivityStatusCode.Ok);
                return Results.Ok(new CheckoutResponse(orderId, "confirmed", order.Body.AmountCents, order.Body.Recommendations, null));
            }

            var reason = payment.Body?.DeclineReason ?? $"payment-service answered {(int)payment.Status}";
            await http.PostJsonAsync<CancelOrderRequest, object>(
                peers.Resolve(DemoServiceNames.OrderService, $"/orders/{orderId}/cancel"), new CancelOrderRequest(reason), cancellationToken).ConfigureAwait(false);
            span.AddEvent("checkout.failed", [new("checkout.failure_reason", reason)]);
            span.SetSpanStatus(ActivityStatusCode.Error, "payment failed: " + reason);
            return payment.Status == System.Net.HttpStatusCode.PaymentRequired
                ? Results.Json(new CheckoutResponse(orderId, "declined", order.Body.AmountCents, [], reason), ServiceCalls.Json, statusCode: StatusCodes.Status402PaymentRequired)
                : Results.Problem("The payment could not be processed: " + reason, statusCode: StatusCodes.Status502BadGateway);
        }
    }
}
