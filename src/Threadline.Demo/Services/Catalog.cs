namespace Threadline.Demo.Services;

/// <summary>What the demo shop sells; the traffic driver fills carts from it and inventory stocks it.</summary>
internal static class Catalog
{
    /// <summary>From this many units of one item on, an order is a bulk order and inventory checks every warehouse.</summary>
    public const int BulkQuantity = 50;

    public static IReadOnlyList<(string Sku, string Name, long PriceCents)> Products { get; } =
    [
        ("SKU-1001", "trail running shoes", 12_999),
        ("SKU-1002", "merino socks", 1_899),
        ("SKU-1003", "rain shell jacket", 18_950),
        ("SKU-1004", "insulated bottle", 3_450),
        ("SKU-1005", "headlamp", 4_299),
        ("SKU-1006", "running vest", 8_900),
        ("SKU-1007", "energy gels (12)", 2_399),
        ("SKU-1008", "trekking poles", 11_500),
    ];

    /// <summary>The warehouses stock moves between; the bulk check sums movements per warehouse.</summary>
    public static IReadOnlyList<string> Warehouses { get; } = ["ams-1", "fra-2", "dub-1", "waw-1"];
}
