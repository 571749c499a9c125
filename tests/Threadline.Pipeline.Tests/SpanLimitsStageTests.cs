using System.Text;
using Threadline.Core.Model;
using Threadline.Pipeline.Limits;

namespace Threadline.Pipeline.Tests;

public sealed class SpanLimitsStageTests
{
    private static readonly Resource Checkout = new([new("service.name", "checkout"), new("host.name", "web-1")]);

    [Fact]
    public async Task A_realistic_span_passes_whole_as_the_same_instance()
    {
        using var metrics = new RecordedMetrics();
        var (stage, next) = Start(new SpanLimitsOptions(), metrics);
        var span = RealisticSpan();
        var batch = new[] { span };

        await stage.ConsumeAsync(batch, CancellationToken.None);

        Assert.Same(batch, Assert.Single(next.Batches));
        Assert.Same(span, next.Spans[0]);
        Assert.Equal(0, metrics.Sum("threadline_limits_truncated") + metrics.Sum("threadline_limits_dropped"));
    }

    [Fact]
    public async Task Attributes_past_the_count_are_dropped_and_added_to_the_dropped_count()
    {
        using var metrics = new RecordedMetrics();
        var (stage, next) = Start(new SpanLimitsOptions { MaxAttributesPerSpan = 10 }, metrics);
        var attributes = Enumerable.Range(0, 25).Select(i => new KeyValue($"key.{i}", i)).ToArray();

        await stage.ConsumeAsync([SpanWith(attributes: attributes, droppedAttributes: 2)], CancellationToken.None);

        var kept = Assert.Single(next.Spans);
        Assert.Equal(attributes[..10], kept.Attributes);
        Assert.Equal(2u + 15u, kept.DroppedAttributesCount);
        Assert.Equal(15, metrics.Sum("threadline_limits_dropped", "what", "span_attribute"));
    }

    [Fact]
    public async Task A_long_string_value_is_cut_on_a_character_boundary_and_counted()
    {
        using var metrics = new RecordedMetrics();
        var (stage, next) = Start(new SpanLimitsOptions { MaxAttributeValueBytes = 100 }, metrics);
        // "é" is two bytes and "😀" four (a surrogate pair): neither may be split at byte 100.
        var value = "a" + string.Concat(Enumerable.Repeat("é😀", 50));

        await stage.ConsumeAsync([SpanWith(attributes: [new("db.statement", value), new("short", "ok")])], CancellationToken.None);

        var cut = next.Spans[0].Attributes[0].Value.AsString();
        Assert.StartsWith(cut, value, StringComparison.Ordinal);
        Assert.InRange(Encoding.UTF8.GetByteCount(cut), 100 - 5, 100);
        Assert.False(char.IsHighSurrogate(cut[^1]));
        Assert.Equal("ok", next.Spans[0].Attributes[1].Value.AsString());
        Assert.Equal(1, metrics.Sum("threadline_limits_truncated", "what", "attribute_value"));
    }

    [Fact]
    public async Task Values_inside_arrays_and_lists_and_binary_values_are_cut_too()
    {
        using var metrics = new RecordedMetrics();
        var (stage, next) = Start(new SpanLimitsOptions { MaxAttributeValueBytes = 32 }, metrics);
        var longText = new string('x', 40);
        var attributes = new KeyValue[]
        {
            new("array", AttributeValue.FromArray([longText, 5])),
            new("map", AttributeValue.FromKeyValueList([new("inner", longText)])),
            new("blob", AttributeValue.FromBytes(new byte[64])),
        };

        await stage.ConsumeAsync([SpanWith(attributes: attributes)], CancellationToken.None);

        var kept = next.Spans[0].Attributes;
        Assert.Equal(32, kept[0].Value.AsArray()[0].AsString().Length);
        Assert.Equal(5, kept[0].Value.AsArray()[1].AsInt());
        Assert.Equal(32, kept[1].Value.AsKeyValueList()[0].Value.AsString().Length);
        Assert.Equal(32, kept[2].Value.AsBytes().Length);
        Assert.Equal(3, metrics.Sum("threadline_limits_truncated", "what", "attribute_value"));
    }

    [Fact]
    public async Task Events_and_links_past_their_limits_are_dropped_with_their_attributes_and_counted_on_the_span()
    {
        using var metrics = new RecordedMetrics();
        var (stage, next) = Start(new SpanLimitsOptions { MaxEventsPerSpan = 2, MaxLinksPerSpan = 1, MaxAttributesPerEventOrLink = 1 }, metrics);
        var twoAttributes = new KeyValue[] { new("a", 1), new("b", 2) };
        var events = Enumerable.Range(0, 5).Select(i => new SpanEvent((ulong)i, $"retry {i}", twoAttributes)).ToArray();
        var links = Enumerable.Range(0, 3).Select(i => new SpanLink(new TraceId(1, (ulong)i + 1), new SpanId((ulong)i + 1), "", twoAttributes)).ToArray();

        await stage.ConsumeAsync([SpanWith(events: events, links: links)], CancellationToken.None);

        var kept = next.Spans[0];
        Assert.Equal(["retry 0", "retry 1"], kept.Events.Select(e => e.Name));
        Assert.Equal((3u, 2u), (kept.DroppedEventsCount, kept.DroppedLinksCount));
        Assert.All(kept.Events, e => Assert.Equal((1, 1u), (e.Attributes.Length, e.DroppedAttributesCount)));
        var link = Assert.Single(kept.Links);
        Assert.Equal((1, 1u), (link.Attributes.Length, link.DroppedAttributesCount));
        Assert.Equal(3, metrics.Sum("threadline_limits_dropped", "what", "event"));
        Assert.Equal(2, metrics.Sum("threadline_limits_dropped", "what", "link"));
        Assert.Equal(2, metrics.Sum("threadline_limits_dropped", "what", "event_attribute"));
        Assert.Equal(1, metrics.Sum("threadline_limits_dropped", "what", "link_attribute"));
    }

    [Fact]
    public async Task A_resource_over_the_limits_is_limited_once_and_stays_shared_by_its_spans()
    {
        using var metrics = new RecordedMetrics();
        var (stage, next) = Start(new SpanLimitsOptions { MaxAttributesPerSpan = 1 }, metrics);
        var resource = new Resource([new("service.name", "checkout"), new("host.name", "web-1"), new("region", "eu")]);

        await stage.ConsumeAsync([SpanWith(resource: resource), SpanWith(resource: resource)], CancellationToken.None);

        var (first, second) = (next.Spans[0].Resource, next.Spans[1].Resource);
        Assert.Same(first, second);
        Assert.Equal(("checkout", 2u), (first.ServiceName, first.DroppedAttributesCount));
        Assert.Equal(2, metrics.Sum("threadline_limits_dropped", "what", "resource_attribute"));
    }

    [Fact]
    public async Task Spans_of_a_trace_past_its_byte_budget_are_dropped_and_counted_other_traces_are_not()
    {
        using var metrics = new RecordedMetrics();
        var (stage, next) = Start(new SpanLimitsOptions { MaxBytesPerTrace = 4096 }, metrics);
        var big = new TraceId(7, 7);
        var small = new TraceId(8, 8);
        var payload = new KeyValue[] { new("payload", new string('p', 1500)) };

        for (var i = 0; i < 4; i++)
            await stage.ConsumeAsync([SpanWith(big, attributes: payload), SpanWith(small)], CancellationToken.None);

        Assert.Equal(2, next.Spans.Count(s => s.TraceId == big));
        Assert.Equal(4, next.Spans.Count(s => s.TraceId == small));
        Assert.Equal(2, metrics.Sum("threadline_spans_dropped", "reason", DroppedSpans.TraceTooLarge));
    }

    [Fact]
    public async Task A_trace_gets_a_fresh_budget_once_its_window_has_passed()
    {
        using var metrics = new RecordedMetrics();
        var clock = new ManualClock();
        var next = new RecordingStage();
        var stage = new SpanLimitsStage(new SpanLimitsOptions { MaxBytesPerTrace = 2048, TraceWindowSeconds = 60 }, next, new DroppedSpans(metrics.Meter), metrics.Meter, clock);
        var trace = new TraceId(9, 9);
        var payload = new KeyValue[] { new("payload", new string('p', 1500)) };

        await stage.ConsumeAsync([SpanWith(trace, attributes: payload)], CancellationToken.None);
        await stage.ConsumeAsync([SpanWith(trace, attributes: payload)], CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(61));
        await stage.ConsumeAsync([SpanWith(trace, attributes: payload)], CancellationToken.None);

        Assert.Equal(2, next.Spans.Count);
        Assert.Equal(1, metrics.Sum("threadline_spans_dropped", "reason", DroppedSpans.TraceTooLarge));
    }

    [Fact]
    public async Task A_batch_the_next_stage_failed_is_refunded_so_the_retry_is_not_dropped()
    {
        using var metrics = new RecordedMetrics();
        var (stage, next) = Start(new SpanLimitsOptions { MaxBytesPerTrace = 2048 }, metrics);
        var trace = new TraceId(10, 10);
        var payload = new KeyValue[] { new("payload", new string('p', 1500)) };
        next.Failure = new IOException("store down");

        await Assert.ThrowsAsync<IOException>(() => stage.ConsumeAsync([SpanWith(trace, attributes: payload)], CancellationToken.None).AsTask());
        next.Failure = null;
        await stage.ConsumeAsync([SpanWith(trace, attributes: payload)], CancellationToken.None);

        Assert.Single(next.Spans);
        Assert.Equal(0, metrics.Sum("threadline_spans_dropped"));
    }

    [Fact]
    public void Out_of_range_options_are_refused_naming_each_setting()
    {
        var problems = new SpanLimitsOptions { MaxAttributesPerSpan = 0, MaxAttributeValueBytes = 3, TraceWindowSeconds = 0 }.Problems();

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("MaxAttributesPerSpan must be at least 1, got 0", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("MaxAttributeValueBytes", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("TraceWindowSeconds", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => new SpanLimitsStage(new SpanLimitsOptions { MaxEventsPerSpan = -1 }, new RecordingStage(), new DroppedSpans(null)));
    }

    [Theory]
    [InlineData("plain ascii", 5, "plain")]
    [InlineData("ééé", 5, "éé")]
    [InlineData("a😀b", 4, "a")]
    [InlineData("a😀b", 5, "a😀")]
    [InlineData("€€", 4, "€")]
    public void Truncation_never_splits_a_character(string text, int maxBytes, string expected)
    {
        Assert.True(Utf8Truncation.IsOver(text, maxBytes));
        Assert.Equal(expected, Utf8Truncation.Truncate(text, maxBytes));
    }

    private static (SpanLimitsStage Stage, RecordingStage Next) Start(SpanLimitsOptions options, RecordedMetrics metrics)
    {
        var next = new RecordingStage();
        return (new SpanLimitsStage(options, next, new DroppedSpans(metrics.Meter), metrics.Meter), next);
    }

    private static long s_spanIds;

    private static Span SpanWith(
        TraceId? trace = null, KeyValue[]? attributes = null, SpanEvent[]? events = null, SpanLink[]? links = null,
        Resource? resource = null, uint droppedAttributes = 0) => new()
        {
            TraceId = trace ?? new TraceId(1, 1),
            SpanId = new SpanId((ulong)Interlocked.Increment(ref s_spanIds)),
            Name = "GET /cart",
            Kind = SpanKind.Server,
            StartTimeUnixNano = 1_000,
            EndTimeUnixNano = 2_000,
            Attributes = attributes ?? [],
            DroppedAttributesCount = droppedAttributes,
            Events = events ?? [],
            Links = links ?? [],
            Resource = resource ?? Checkout,
        };

    private static Span RealisticSpan() => SpanWith(
        attributes:
        [
            new("http.request.method", "POST"),
            new("url.full", "https://shop.example.com/api/cart/items?session=4f2a"),
            new("http.response.status_code", 200),
            new("db.statement", "SELECT id, sku, quantity, price FROM cart_items WHERE cart_id = @cart AND deleted = 0 ORDER BY added_at"),
            new("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"),
        ],
        events:
        [
            new SpanEvent(1_500, "exception",
            [
                new("exception.type", "System.TimeoutException"),
                new("exception.stacktrace", string.Concat(Enumerable.Repeat("   at Checkout.CartService.AddItemAsync(CartItem item, CancellationToken ct) in /src/Checkout/CartService.cs:line 118\n", 60))),
            ]),
        ],
        links: [new SpanLink(new TraceId(3, 3), new SpanId(3), "", [new("messaging.system", "kafka")])]);

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
