using Threadline.Demo.Services;

namespace Threadline.Demo.Traffic;

/// <summary>Invents shoppers and their carts: mostly small carts of ordinary users, now and then a declined card or a bulk order.</summary>
internal sealed class CheckoutRequestFactory(DemoOptions options)
{
    private static readonly string[] CardTokens = ["tok_visa", "tok_mastercard", "tok_amex"];

    private readonly Random _random = new();
    private readonly ScenarioSchedule _declined = new(options.DeclinedPaymentRatio, new Random());
    private readonly ScenarioSchedule _bulk = new(options.SlowInventoryRatio, new Random());

    public CheckoutRequest Next()
    {
        var lines = 1 + (int)Math.Min(3, -Math.Log(1 - _random.NextDouble()) * 1.2);
        var items = Catalog.Products
            .OrderBy(_ => _random.Next())
            .Take(lines)
            .Select(p => new CartItem(p.Sku, 1 + _random.Next(3), p.PriceCents))
            .ToArray();
        if (_bulk.Next()) items[0] = items[0] with { Quantity = Catalog.BulkQuantity + _random.Next(50) };

        var tier = _random.NextDouble() switch
        {
            < 0.05 => "enterprise",
            < 0.30 => "plus",
            _ => "free",
        };
        var token = _declined.Next() ? ThirdPartyService.DeclinedCardToken : CardTokens[_random.Next(CardTokens.Length)];
        return new CheckoutRequest("user-" + _random.Next(1000, 1300), tier, items, token, "EUR");
    }
}
