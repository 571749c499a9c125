using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Threadline.Demo.Data;
using Threadline.Demo.Hosting;
using Threadline.Sdk;

namespace Threadline.Demo.Services;

/// <summary>
/// inventory-service: reserves stock in its SQLite database. A bulk order also sums the stock
/// movements of every warehouse, an unindexed scan: the demo's slow query.
/// </summary>
internal sealed class InventoryService : ServiceApplication
{
    private const int RestockUnits = 10_000;

    public override string Name => DemoServiceNames.InventoryService;

    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton(_ => DemoDatabase.Open("inventory", Schema()));
        services.AddSingleton<Stockroom>();
    }

    public override void MapEndpoints(WebApplication app)
    {
        // Open and fill the database now rather than in the first request.
        app.Services.GetRequiredService<DemoDatabase>();
        app.MapPost("/reservations", (ReservationRequest request, Stockroom stock, CancellationToken cancellationToken) =>
            stock.ReserveAsync(request, cancellationToken));
    }

    private static string Schema()
    {
        var products = string.Join(", ", Catalog.Products.Select((p, i) => $"({i}, '{p.Sku}')"));
        var warehouses = string.Join(", ", Catalog.Warehouses.Select((w, i) => $"({i}, '{w}')"));
        // stock_movements is deliberately without an index on sku: the bulk check scans it. The
        // numbered temp tables only spread the seeded movements over products and warehouses.
        return $"""
            CREATE TABLE stock (sku TEXT PRIMARY KEY, on_hand INTEGER NOT NULL);
            CREATE TABLE reservations (id INTEGER PRIMARY KEY AUTOINCREMENT, order_id TEXT NOT NULL, sku TEXT NOT NULL, quantity INTEGER NOT NULL);
            CREATE TABLE stock_movements (id INTEGER PRIMARY KEY, sku TEXT NOT NULL, warehouse TEXT NOT NULL, quantity INTEGER NOT NULL);
            CREATE TEMP TABLE seed_products (n INTEGER PRIMARY KEY, sku TEXT NOT NULL);
            CREATE TEMP TABLE seed_warehouses (n INTEGER PRIMARY KEY, name TEXT NOT NULL);
            INSERT INTO seed_products (n, sku) VALUES {products};
            INSERT INTO seed_warehouses (n, name) VALUES {warehouses};
            INSERT INTO stock (sku, on_hand) SELECT sku, {RestockUnits} FROM seed_products;
            WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < 40000)
            INSERT INTO stock_movements (id, sku, warehouse, quantity)
            SELECT seq.i, p.sku, w.name, (seq.i % 17) - 5
            FROM seq
            JOIN seed_products p ON p.n = seq.i % {Catalog.Products.Count}
            JOIN seed_warehouses w ON w.n = seq.i % {Catalog.Warehouses.Count};
            DROP TABLE seed_products;
            DROP TABLE seed_warehouses;
            """;
    }

    private sealed class Stockroom(DemoDatabase database)
    {
        public async Task<IResult> ReserveAsync(ReservationRequest request, CancellationToken cancellationToken)
        {
            var server = Activity.Current;
            server.SetAttribute("order.id", request.OrderId);
            var bulk = request.Items.Any(i => i.Quantity >= Catalog.BulkQuantity);
            server.SetAttribute("inventory.bulk_order", bulk);

            var reserved = 0;
            foreach (var item in request.Items)
            {
                var onHand = await database.QueryAsync(SqlStatement.Create(
                    "SELECT", "stock", "SELECT on_hand FROM stock WHERE sku = $sku", ("$sku", item.Sku)),
                    r => r.GetInt64(0), cancellationToken).ConfigureAwait(false);
                if (onHand.Count == 0)
                    return Results.NotFound(new { error = $"Unknown product {item.Sku}." });

                if (item.Quantity >= Catalog.BulkQuantity) await CheckAllWarehousesAsync(item, cancellationToken).ConfigureAwait(false);

                if (onHand[0] < item.Quantity)
                {
                    // The demo never runs out: a low shelf is refilled, and the trace shows it.
                    await database.ExecuteAsync(SqlStatement.Create(
                        "UPDATE", "stock", "UPDATE stock SET on_hand = on_hand + $units WHERE sku = $sku",
                        ("$units", RestockUnits), ("$sku", item.Sku)), cancellationToken).ConfigureAwait(false);
                    server.AddEvent("inventory.restocked", [new("product.sku", item.Sku), new("inventory.units", (long)RestockUnits)]);
                }
                await database.ExecuteAsync(SqlStatement.Create(
                    "UPDATE", "stock", "UPDATE stock SET on_hand = on_hand - $quantity WHERE sku = $sku",
                    ("$quantity", item.Quantity), ("$sku", item.Sku)), cancellationToken).ConfigureAwait(false);
                await database.ExecuteAsync(SqlStatement.Create(
                    "INSERT", "reservations", "INSERT INTO reservations (order_id, sku, quantity) VALUES ($order, $sku, $quantity)",
                    ("$order", request.OrderId), ("$sku", item.Sku), ("$quantity", item.Quantity)), cancellationToken).ConfigureAwait(false);
                reserved += item.Quantity;
            }
            return Results.Ok(new ReservationResponse(request.OrderId, reserved, bulk));
        }

        private async Task CheckAllWarehousesAsync(CartItem item, CancellationToken cancellationToken)
        {
            Activity.Current.AddEvent("inventory.bulk_check", [new("product.sku", item.Sku), new("inventory.requested_units", (long)item.Quantity)]);
            // A full scan of the movement history; on a production-sized table it takes most of a second.
            var statement = SqlStatement.Create(
                "SELECT", "stock_movements",
                "SELECT warehouse, SUM(quantity) FROM stock_movements WHERE sku = $sku GROUP BY warehouse",
                ("$sku", item.Sku)) with { MedianLatencyMilliseconds = 450, LatencySpread = 0.35 };
            await database.QueryAsync(statement, r => (r.GetString(0), r.GetInt64(1)), cancellationToken).ConfigureAwait(false);
        }
    }
}
