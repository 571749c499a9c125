using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Threadline.Demo.Data;
using Threadline.Demo.Hosting;
using Threadline.Demo.Messaging;
using Threadline.Sdk;

namespace Threadline.Demo.Services;

/// <summary>
/// order-service: stores orders in its SQLite database, asks the LLM for recommendations while
/// creating one, and on confirmation publishes a notification to the loopback queue.
/// </summary>
internal sealed class OrderService : ServiceApplication
{
    public const string NotificationsDestination = "notifications";

    private const string Schema = """
        CREATE TABLE orders (id TEXT PRIMARY KEY, user_id TEXT NOT NULL, status TEXT NOT NULL,
                             amount_cents INTEGER NOT NULL, currency TEXT NOT NULL, payment_id TEXT);
        CREATE TABLE order_items (order_id TEXT NOT NULL, sku TEXT NOT NULL, quantity INTEGER NOT NULL, unit_price_cents INTEGER NOT NULL);
        """;

    public override string Name => DemoServiceNames.OrderService;

    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton(_ => DemoDatabase.Open("orders", Schema));
        services.AddSingleton<LoopbackQueuePublisher>();
        services.AddSingleton<RecommendationClient>();
        services.AddSingleton<OrderBook>();
    }

    public override void MapEndpoints(WebApplication app)
    {
        // Open the database now rather than in the first request.
        app.Services.GetRequiredService<DemoDatabase>();
        app.MapPost("/orders", (CreateOrderRequest request, OrderBook orders, CancellationToken cancellationToken) =>
            orders.CreateAsync(request, cancellationToken));
        app.MapPost("/orders/{orderId}/confirm", (string orderId, ConfirmOrderRequest request, OrderBook orders, CancellationToken cancellationToken) =>
            orders.ConfirmAsync(orderId, request, cancellationToken));
        app.MapPost("/orders/{orderId}/cancel", (string orderId, CancelOrderRequest request, OrderBook orders, CancellationToken cancellationToken) =>
            orders.CancelAsync(orderId, request, cancellationToken));
    }

    private sealed class OrderBook(DemoDatabase database, RecommendationClient recommendations, LoopbackQueuePublisher queue)
    {
        public async Task<IResult> CreateAsync(CreateOrderRequest request, CancellationToken cancellationToken)
        {
            var amount = request.Items.Sum(i => i.Quantity * i.UnitPriceCents);
            Activity.Current.SetAttribute("order.id", request.OrderId);
            Activity.Current.SetAttribute("order.amount_cents", amount);

            await database.ExecuteAsync(SqlStatement.Create(
                "INSERT", "orders",
                "INSERT INTO orders (id, user_id, status, amount_cents, currency) VALUES ($id, $user, 'pending', $amount, $currency)",
                ("$id", request.OrderId), ("$user", request.UserId), ("$amount", amount), ("$currency", request.Currency)), cancellationToken).ConfigureAwait(false);
            foreach (var item in request.Items)
            {
                await database.ExecuteAsync(SqlStatement.Create(
                    "INSERT", "order_items",
                    "INSERT INTO order_items (order_id, sku, quantity, unit_price_cents) VALUES ($order, $sku, $quantity, $price)",
                    ("$order", request.OrderId), ("$sku", item.Sku), ("$quantity", item.Quantity), ("$price", item.UnitPriceCents)), cancellationToken).ConfigureAwait(false);
            }

            var suggested = await recommendations.SuggestAsync(request.Items, cancellationToken).ConfigureAwait(false);
            return Results.Ok(new CreateOrderResponse(request.OrderId, amount, suggested));
        }

        public async Task<IResult> ConfirmAsync(string orderId, ConfirmOrderRequest request, CancellationToken cancellationToken)
        {
            Activity.Current.SetAttribute("order.id", orderId);
            var changed = await database.ExecuteAsync(SqlStatement.Create(
                "UPDATE", "orders",
                "UPDATE orders SET status = 'confirmed', payment_id = $payment WHERE id = $id AND status = 'pending'",
                ("$payment", request.PaymentId), ("$id", orderId)), cancellationToken).ConfigureAwait(false);
            if (changed == 0) return Results.NotFound();

            var order = (await database.QueryAsync(SqlStatement.Create(
                "SELECT", "orders",
                "SELECT user_id, amount_cents, currency FROM orders WHERE id = $id",
                ("$id", orderId)), r => new OrderConfirmed(orderId, r.GetString(0), r.GetInt64(1), r.GetString(2)), cancellationToken).ConfigureAwait(false))[0];
            try
            {
                await queue.PublishAsync(NotificationsDestination, order, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
            {
                // The order stands without its e-mail; the publish span already holds the error.
                Activity.Current.AddEvent("notification.not_sent", [new("error.type", exception.GetType().FullName)]);
            }
            return Results.Ok(new { orderId, status = "confirmed" });
        }

        public async Task<IResult> CancelAsync(string orderId, CancelOrderRequest request, CancellationToken cancellationToken)
        {
            Activity.Current.SetAttribute("order.id", orderId);
            Activity.Current.AddEvent("order.cancelled", [new("order.cancel_reason", request.Reason)]);
            var changed = await database.ExecuteAsync(SqlStatement.Create(
                "UPDATE", "orders",
                "UPDATE orders SET status = 'payment_failed' WHERE id = $id AND status = 'pending'",
                ("$id", orderId)), cancellationToken).ConfigureAwait(false);
            return changed == 0 ? Results.NotFound() : Results.Ok(new { orderId, status = "payment_failed" });
        }
    }
}
