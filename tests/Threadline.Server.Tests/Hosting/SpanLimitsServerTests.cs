using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Threadline.Core.Model;
using Threadline.Pipeline.Limits;
using Threadline.Protocol.Otlp;
using Threadline.Server.Tests.Infrastructure;
using Threadline.Server.Tests.Metrics;
using Threadline.Storage;

namespace Threadline.Server.Tests.Hosting;

/// <summary>The default span limits, end to end: sent over OTLP/HTTP, read back from the store, counted in /metrics.</summary>
public sealed class SpanLimitsServerTests
{
    private static readonly SpanLimitsOptions Defaults = new();

    [Fact]
    public async Task A_span_with_200000_attributes_is_stored_with_the_default_count_and_the_rest_counted_as_dropped()
    {
        await using var server = await TestServer.StartAsync();
        var span = Span(attributes: [.. Enumerable.Range(0, 200_000).Select(i => new KeyValue($"k{i}", i))]);

        await PostAsync(server.OtlpHttpEndpoint, span);

        var stored = await StoredAsync(server, span);
        Assert.Equal(Defaults.MaxAttributesPerSpan, stored.Attributes.Length);
        Assert.Equal("k0", stored.Attributes[0].Key);
        Assert.Equal((uint)(200_000 - Defaults.MaxAttributesPerSpan), stored.DroppedAttributesCount);
        var metrics = await MetricsEndpointTests.ScrapeAsync(server.ApiEndpoint);
        Assert.Equal(200_000 - Defaults.MaxAttributesPerSpan, metrics.Value("threadline_limits_dropped_total", ("what", "span_attribute")));
    }

    [Fact]
    public async Task An_8_MB_attribute_value_is_stored_truncated_to_the_default_on_a_character_boundary_and_counted()
    {
        await using var server = await TestServer.StartAsync();
        // Three-byte characters, so the default byte limit falls inside one unless cut with care.
        var huge = new string('€', 8 * 1024 * 1024 / 3);
        var span = Span(attributes: [new("exception.message", huge), new("http.route", "/cart")]);

        await PostAsync(server.OtlpHttpEndpoint, span);

        var stored = await StoredAsync(server, span);
        var value = stored.Attributes[0].Value.AsString();
        Assert.Equal(Defaults.MaxAttributeValueBytes / 3, value.Length);
        Assert.True(Encoding.UTF8.GetByteCount(value) <= Defaults.MaxAttributeValueBytes);
        Assert.Equal("/cart", stored.Attributes[1].Value.AsString());
        var metrics = await MetricsEndpointTests.ScrapeAsync(server.ApiEndpoint);
        Assert.Equal(1, metrics.Value("threadline_limits_truncated_total", ("what", "attribute_value")));
    }

    [Fact]
    public async Task A_realistic_span_is_stored_whole()
    {
        await using var server = await TestServer.StartAsync();
        var stackTrace = string.Concat(Enumerable.Repeat("   at Checkout.CartService.AddItemAsync(CartItem item, CancellationToken ct) in /src/Checkout/CartService.cs:line 118\n", 80));
        var span = Span(
            attributes:
            [
                new("http.request.method", "POST"),
                new("url.full", "https://shop.example.com/api/cart/items?session=4f2a"),
                new("http.response.status_code", 500),
                new("db.statement", "SELECT id, sku, quantity, price FROM cart_items WHERE cart_id = @cart AND deleted = 0 ORDER BY added_at"),
            ],
            events: [new SpanEvent(1_700_000_000_050_000_000, "exception", [new("exception.type", "System.TimeoutException"), new("exception.stacktrace", stackTrace)])]);

        await PostAsync(server.OtlpHttpEndpoint, span);

        var stored = await StoredAsync(server, span);
        Assert.Equal(span.Attributes, stored.Attributes);
        Assert.Equal(stackTrace, stored.Events[0].Attributes[1].Value.AsString());
        Assert.Equal((0u, 0u, 0u), (stored.DroppedAttributesCount, stored.DroppedEventsCount, stored.Events[0].DroppedAttributesCount));
        var metrics = await MetricsEndpointTests.ScrapeAsync(server.ApiEndpoint);
        Assert.Equal(0, metrics.Sum("threadline_limits_truncated_total") + metrics.Sum("threadline_limits_dropped_total"));
    }

    [Fact]
    public async Task Configured_limits_apply_and_the_trace_byte_cap_drops_later_spans_counted()
    {
        await using var server = await TestServer.StartAsync(options =>
        {
            options.Limits.MaxEventsPerSpan = 1;
            options.Limits.MaxBytesPerTrace = 4096;
        });
        var trace = TestSpans.NewTraceId();
        var events = new[] { new SpanEvent(1, "a", []), new SpanEvent(2, "b", []) };
        var payload = new KeyValue("payload", new string('p', 3000));

        await PostAsync(server.OtlpHttpEndpoint, Span(trace, attributes: [payload], events: events));
        await PostAsync(server.OtlpHttpEndpoint, Span(trace, attributes: [payload]));

        var store = server.Services.GetRequiredService<ITraceStore>();
        var stored = Assert.Single(await store.GetTraceAsync(trace, TestContext.Timeout));
        Assert.Equal((1, 1u), (stored.Events.Length, stored.DroppedEventsCount));
        var metrics = await MetricsEndpointTests.ScrapeAsync(server.ApiEndpoint);
        Assert.Equal(1, metrics.Value("threadline_spans_dropped_total", ("reason", "trace_too_large")));
        Assert.Equal(1, metrics.Value("threadline_limits_dropped_total", ("what", "event")));
    }

    private static async Task PostAsync(Uri otlpHttp, Span span)
    {
        using var response = await HttpTestClient.PostAsync(otlpHttp, "/v1/traces", OtlpProtobufEncoder.EncodeExportRequest([span]), "application/x-protobuf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<Span> StoredAsync(Threadline.Server.Hosting.ThreadlineServer server, Span sent)
    {
        var store = server.Services.GetRequiredService<ITraceStore>();
        return Assert.Single(await store.GetTraceAsync(sent.TraceId, TestContext.Timeout));
    }

    private static Span Span(TraceId? trace = null, KeyValue[]? attributes = null, SpanEvent[]? events = null) => new()
    {
        TraceId = trace ?? TestSpans.NewTraceId(),
        SpanId = TestSpans.NewSpanId(),
        Name = "POST /cart/items",
        Kind = SpanKind.Server,
        StartTimeUnixNano = 1_700_000_000_000_000_000,
        EndTimeUnixNano = 1_700_000_000_100_000_000,
        Attributes = attributes ?? [],
        Events = events ?? [],
        Resource = TestSpans.ServiceResource("checkout"),
    };
}
