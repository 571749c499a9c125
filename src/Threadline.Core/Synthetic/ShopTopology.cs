namespace Threadline.Core.Synthetic;

/// <summary>How one service reaches another, which decides the spans and attributes of a call.</summary>
internal enum CallProtocol
{
    Http,
    Grpc,
}

/// <summary>A step a service takes while handling a request; each becomes one or more child spans.</summary>
internal abstract record Step(double Probability = 1, int MinRepeat = 1, int MaxRepeat = 1);

/// <summary>A call to another service's endpoint: a CLIENT span here, the callee's SERVER span under it.</summary>
internal sealed record Call(string Endpoint, double Probability = 1, int MinRepeat = 1, int MaxRepeat = 1) : Step(Probability, MinRepeat, MaxRepeat);

/// <summary>A database call: one CLIENT span with the db.* attributes.</summary>
internal sealed record Query(string System, string Operation, string Collection, string Text, double Probability = 1, int MinRepeat = 1, int MaxRepeat = 1)
    : Step(Probability, MinRepeat, MaxRepeat);

/// <summary>A call to a system outside the shop (no span on the other side), sometimes slow.</summary>
internal sealed record External(string Host, string Method, string Path, int MinMillis, int MaxMillis, double Probability = 1) : Step(Probability);

/// <summary>A message published to a topic: a PRODUCER span here, a CONSUMER span in each subscriber.</summary>
internal sealed record Publish(string Topic, string[] Consumers, double Probability = 1) : Step(Probability);

/// <summary>An operation a service serves: its span name and route, and what it does.</summary>
internal sealed record Endpoint(
    string Id,
    string Service,
    CallProtocol Protocol,
    string Method,
    string Route,
    Step[] Steps,
    double FailureRate = 0.01)
{
    /// <summary>The SERVER (or CONSUMER) span's name, as instrumentations name them.</summary>
    public string SpanName => Protocol == CallProtocol.Http ? $"{Method} {Route}" : $"{RpcService}/{Method}";

    /// <summary>The gRPC service, e.g. <c>shop.CurrencyService</c>.</summary>
    public string RpcService => Route;
}

/// <summary>
/// The imaginary web shop the realistic generator traces: twenty services behind an API gateway,
/// talking HTTP, gRPC, Kafka, PostgreSQL, SQLite and Redis. Entry points are weighted like a
/// shop's traffic: mostly product pages and searches, a few checkouts.
/// </summary>
internal static class ShopTopology
{
    public static readonly string[] Services =
    [
        "api-gateway", "catalog", "review", "search", "recommendation", "ad", "auth", "session", "user", "cart",
        "checkout", "payment", "fraud", "inventory", "warehouse", "shipping", "pricing", "currency", "email", "notification",
    ];

    /// <summary>The gateway's routes and how often each is hit, out of the sum of the weights.</summary>
    public static readonly (string Endpoint, int Weight)[] EntryPoints =
    [
        ("gateway.product", 30), ("gateway.search", 20), ("gateway.cart", 14), ("gateway.checkout", 8),
        ("gateway.login", 7), ("gateway.orders", 8), ("gateway.health", 8), ("gateway.review", 5),
    ];

    public static readonly Dictionary<string, Endpoint> Endpoints = new Endpoint[]
    {
        new("gateway.product", "api-gateway", CallProtocol.Http, "GET", "/api/products/{id}",
            [new Call("catalog.product"), new Call("ad.get", 0.7), new Call("recommendation.list", 0.8)]),
        new("gateway.search", "api-gateway", CallProtocol.Http, "GET", "/api/search",
            [new Call("search.query"), new Call("ad.get", 0.5)]),
        new("gateway.cart", "api-gateway", CallProtocol.Http, "GET", "/api/cart",
            [new Call("auth.validate"), new Call("cart.get")]),
        new("gateway.checkout", "api-gateway", CallProtocol.Http, "POST", "/api/checkout",
            [new Call("auth.validate"), new Call("checkout.place")], FailureRate: 0.02),
        new("gateway.login", "api-gateway", CallProtocol.Http, "POST", "/api/login",
            [new Call("auth.login")]),
        new("gateway.orders", "api-gateway", CallProtocol.Http, "GET", "/api/orders",
            [new Call("auth.validate"), new Call("user.orders")]),
        new("gateway.health", "api-gateway", CallProtocol.Http, "GET", "/healthz", [], FailureRate: 0.001),
        new("gateway.review", "api-gateway", CallProtocol.Http, "POST", "/api/reviews",
            [new Call("auth.validate"), new Call("review.post")]),

        new("catalog.product", "catalog", CallProtocol.Http, "GET", "/products/{id}",
        [
            new Query("postgresql", "SELECT", "products", "SELECT id, name, description, price_cents FROM products WHERE id = $1"),
            new Query("postgresql", "SELECT", "product_images", "SELECT url, width, height FROM product_images WHERE product_id = $1 ORDER BY position", 0.5),
            new Call("pricing.price"),
            new Call("review.list", 0.6),
        ]),
        new("catalog.list", "catalog", CallProtocol.Grpc, "ListProducts", "shop.CatalogService",
            [new Query("postgresql", "SELECT", "products", "SELECT id, name, price_cents FROM products WHERE id = ANY($1)")]),
        new("review.list", "review", CallProtocol.Http, "GET", "/reviews",
            [new Query("sqlite", "SELECT", "reviews", "SELECT author, stars, body FROM reviews WHERE product_id = ? ORDER BY created DESC LIMIT 20")]),
        new("review.post", "review", CallProtocol.Http, "POST", "/reviews",
        [
            new Query("sqlite", "INSERT", "reviews", "INSERT INTO reviews (product_id, author, stars, body) VALUES (?, ?, ?, ?)"),
            new Publish("review-events", ["notification.review"]),
        ]),
        new("search.query", "search", CallProtocol.Http, "GET", "/search",
        [
            new Query("sqlite", "SELECT", "products_fts", "SELECT rowid, rank FROM products_fts WHERE products_fts MATCH ? ORDER BY rank LIMIT 24"),
            new Call("catalog.list"),
            new Call("currency.convert", 0.4, 1, 3),
        ]),
        new("recommendation.list", "recommendation", CallProtocol.Grpc, "ListRecommendations", "shop.RecommendationService",
        [
            new Query("postgresql", "SELECT", "co_purchases", "SELECT other_id FROM co_purchases WHERE product_id = $1 ORDER BY score DESC LIMIT 8"),
            new Call("catalog.list"),
        ]),
        new("ad.get", "ad", CallProtocol.Grpc, "GetAds", "shop.AdService",
        [
            new Query("redis", "GET", "ads", "GET ads:category:?"),
            new Query("sqlite", "SELECT", "ads", "SELECT id, text, target_url FROM ads WHERE category = ? LIMIT 3", 0.3),
        ]),
        new("auth.validate", "auth", CallProtocol.Grpc, "ValidateToken", "shop.AuthService",
            [new Call("session.get")], FailureRate: 0.005),
        new("auth.login", "auth", CallProtocol.Http, "POST", "/login",
        [
            new Call("user.get"),
            new Query("postgresql", "SELECT", "credentials", "SELECT password_hash, salt FROM credentials WHERE user_id = $1"),
            new Call("session.create"),
            new Publish("user-events", ["notification.login", "email.login"], 0.3),
        ], FailureRate: 0.03),
        new("session.get", "session", CallProtocol.Grpc, "GetSession", "shop.SessionService",
            [new Query("redis", "HGETALL", "sessions", "HGETALL session:?")]),
        new("session.create", "session", CallProtocol.Grpc, "CreateSession", "shop.SessionService",
            [new Query("redis", "HSET", "sessions", "HSET session:? user ? expires ?"), new Query("redis", "EXPIRE", "sessions", "EXPIRE session:? 86400")]),
        new("user.get", "user", CallProtocol.Grpc, "GetUser", "shop.UserService",
            [new Query("postgresql", "SELECT", "users", "SELECT id, email, display_name FROM users WHERE email = $1")]),
        new("user.orders", "user", CallProtocol.Http, "GET", "/users/{id}/orders",
        [
            new Query("postgresql", "SELECT", "orders", "SELECT id, placed_at, total_cents FROM orders WHERE user_id = $1 ORDER BY placed_at DESC LIMIT 10"),
            // The N+1 query pattern every shop has somewhere.
            new Query("postgresql", "SELECT", "order_items", "SELECT product_id, quantity FROM order_items WHERE order_id = $1", MinRepeat: 1, MaxRepeat: 10),
            new Call("shipping.status", 0.5),
        ]),
        new("cart.get", "cart", CallProtocol.Http, "GET", "/cart",
        [
            new Query("redis", "HGETALL", "carts", "HGETALL cart:?"),
            new Call("pricing.price", 1, 1, 5),
        ]),
        new("checkout.place", "checkout", CallProtocol.Http, "POST", "/checkout",
        [
            new Call("cart.get"),
            new Call("pricing.quote"),
            new Call("payment.charge"),
            new Call("inventory.reserve", 1, 1, 4),
            new Call("shipping.create"),
            new Query("postgresql", "INSERT", "orders", "INSERT INTO orders (user_id, total_cents, currency, placed_at) VALUES ($1, $2, $3, now()) RETURNING id"),
            new Publish("order-placed", ["email.confirm", "notification.order", "warehouse.pick"]),
        ], FailureRate: 0.02),
        new("payment.charge", "payment", CallProtocol.Grpc, "Charge", "shop.PaymentService",
        [
            new Call("fraud.score"),
            new External("api.payments.example.com", "POST", "/v1/charges", 40, 350),
            new Query("postgresql", "INSERT", "payments", "INSERT INTO payments (order_ref, amount_cents, provider_ref) VALUES ($1, $2, $3)"),
        ], FailureRate: 0.03),
        new("fraud.score", "fraud", CallProtocol.Grpc, "Score", "shop.FraudService",
        [
            new Query("sqlite", "SELECT", "rules", "SELECT id, expression, weight FROM rules WHERE enabled = 1"),
            new Query("redis", "INCR", "velocity", "INCR velocity:?:1h", 0.8),
        ]),
        new("inventory.reserve", "inventory", CallProtocol.Grpc, "Reserve", "shop.InventoryService",
        [
            new Query("postgresql", "UPDATE", "stock", "UPDATE stock SET reserved = reserved + $1 WHERE sku = $2 AND available >= $1"),
            new Call("warehouse.locate", 0.5),
        ]),
        new("warehouse.locate", "warehouse", CallProtocol.Grpc, "Locate", "shop.WarehouseService",
            [new Query("sqlite", "SELECT", "bins", "SELECT bin, quantity FROM bins WHERE sku = ? AND quantity > 0 ORDER BY quantity DESC")]),
        new("warehouse.pick", "warehouse", CallProtocol.Grpc, "process", "order-placed",
            [new Query("sqlite", "INSERT", "pick_lists", "INSERT INTO pick_lists (order_ref, created) VALUES (?, ?)")]),
        new("shipping.create", "shipping", CallProtocol.Grpc, "CreateShipment", "shop.ShippingService",
        [
            new Call("currency.convert"),
            new Query("postgresql", "INSERT", "shipments", "INSERT INTO shipments (order_ref, carrier, address_id) VALUES ($1, $2, $3)"),
        ]),
        new("shipping.status", "shipping", CallProtocol.Grpc, "GetStatus", "shop.ShippingService",
            [new Query("postgresql", "SELECT", "shipments", "SELECT status, updated_at FROM shipments WHERE order_ref = $1")]),
        new("pricing.price", "pricing", CallProtocol.Grpc, "GetPrice", "shop.PricingService",
            [new Query("redis", "GET", "prices", "GET price:?"), new Call("currency.convert", 0.5)]),
        new("pricing.quote", "pricing", CallProtocol.Grpc, "GetQuote", "shop.PricingService",
            [new Query("postgresql", "SELECT", "promotions", "SELECT code, percent_off FROM promotions WHERE active AND $1 = ANY(skus)"), new Call("currency.convert")]),
        new("currency.convert", "currency", CallProtocol.Grpc, "Convert", "shop.CurrencyService", [], FailureRate: 0.002),
        new("email.confirm", "email", CallProtocol.Grpc, "process", "order-placed",
        [
            new Query("sqlite", "SELECT", "templates", "SELECT subject, body FROM templates WHERE name = ?"),
            new External("smtp-relay.mail.example.net", "POST", "/v3/mail/send", 20, 120),
        ]),
        new("email.login", "email", CallProtocol.Grpc, "process", "user-events",
            [new External("smtp-relay.mail.example.net", "POST", "/v3/mail/send", 20, 120, 0.2)]),
        new("notification.order", "notification", CallProtocol.Grpc, "process", "order-placed",
            [new Query("redis", "LPUSH", "notifications", "LPUSH notifications:? ?")]),
        new("notification.login", "notification", CallProtocol.Grpc, "process", "user-events",
            [new Query("redis", "LPUSH", "notifications", "LPUSH notifications:? ?")]),
        new("notification.review", "notification", CallProtocol.Grpc, "process", "review-events",
            [new Query("redis", "LPUSH", "notifications", "LPUSH notifications:? ?")]),
    }.ToDictionary(e => e.Id, StringComparer.Ordinal);
}
