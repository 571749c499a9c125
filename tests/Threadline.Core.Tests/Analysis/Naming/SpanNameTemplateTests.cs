using Threadline.Core.Analysis.Naming;

namespace Threadline.Core.Tests.Analysis.Naming;

public sealed class SpanNameTemplateTests
{
    [Theory]
    [InlineData("GET /products/123", "GET /products/{id}", NamingReason.Id)]
    [InlineData("GET /users/42/orders/7", "GET /users/{id}/orders/{id}", NamingReason.Id)]
    [InlineData("GET /orders/3f2504e0-4f89-41d3-9a0c-0305e82c3301", "GET /orders/{id}", NamingReason.Uuid)]
    [InlineData("GET /blobs/5f3a9c0e8b7d4a61e2f0", "GET /blobs/{id}", NamingReason.Hex)]
    [InlineData("GET /sessions/aGVsbG8gd29ybGQ9PT1x9Z", "GET /sessions/{id}", NamingReason.Id)]
    [InlineData("GET https://api.stripe.com/v1/charges/123?expand=x", "GET /v1/charges/{id}", NamingReason.Url)]
    [InlineData("https://cdn.example.com/img/7.png", "/img/7.png", NamingReason.Url)]
    [InlineData("GET /search?q=shoes", "GET /search", NamingReason.Url)]
    [InlineData("process batch 42", "process batch {n}", NamingReason.Number)]
    [InlineData("invoice-20231104 render", "invoice-{n} render", NamingReason.Number)]
    [InlineData("SELECT id, total FROM orders WHERE id = 42", "SELECT orders", NamingReason.Sql)]
    [InlineData("select * from \"Inventory\" where sku = 'x'", "SELECT Inventory", NamingReason.Sql)]
    [InlineData("INSERT INTO payments (id) VALUES (1)", "INSERT payments", NamingReason.Sql)]
    [InlineData("UPDATE stock SET n = n - 1 WHERE sku = 9", "UPDATE stock", NamingReason.Sql)]
    public void High_cardinality_parts_become_placeholders(string name, string template, NamingReason reason)
    {
        Assert.Equal((template, reason), SpanNameTemplate.Of(name));
    }

    [Theory]
    [InlineData("GET /products/{id}")]
    [InlineData("GET /api/v1/users")]
    [InlineData("SELECT orders")]
    [InlineData("checkout.process")]
    [InlineData("HTTP2 call s3")]
    [InlineData("")]
    [InlineData("  ")]
    public void A_low_cardinality_name_is_its_own_template(string name)
    {
        var (template, reason) = SpanNameTemplate.Of(name);

        Assert.Same(name, template);
        Assert.Equal(NamingReason.None, reason);
    }
}
