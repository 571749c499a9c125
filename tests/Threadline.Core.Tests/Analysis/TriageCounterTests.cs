using Threadline.Core.Analysis.Triage;
using Threadline.Core.Model;

namespace Threadline.Core.Tests.Analysis;

/// <summary>
/// Triage on a data set with a known answer: 100 error spans and 1,000 others of one service,
/// <c>payment.method=amex</c> planted on 90 % of the errors and 3 % of the rest, a unique
/// <c>user.id</c> and a unique amount per span.
/// </summary>
public sealed class TriageCounterTests
{
    private static readonly Resource Checkout = new([new("service.name", "checkout"), new("host.name", "web-1")]);

    [Fact]
    public void The_planted_attribute_ranks_first_with_exact_counts_and_percentages()
    {
        var result = Planted().Rank(limit: 20);

        Assert.Equal((100, 1000), (result.SelectionSpanCount, result.BaselineSpanCount));
        var top = result.Attributes[0];
        Assert.Equal((TriageScope.Span, "payment.method", "amex"), (top.Scope, top.Key, top.Value.ToString()));
        Assert.Equal((90, 30), (top.SelectionCount, top.BaselineCount));
        Assert.Equal(90.0, top.SelectionPercent, 10);
        Assert.Equal(3.0, top.BaselinePercent, 10);
        Assert.Equal(0.87, top.Score, 10);
    }

    [Fact]
    public void Values_as_common_or_commoner_in_the_baseline_are_not_listed()
    {
        var result = Planted().Rank(limit: 100);

        // visa: 10 % of errors, 97 % of the rest; the service and host: 100 % of both.
        Assert.DoesNotContain(result.Attributes, a => a.Value.ToString() is "visa" or "checkout" or "web-1");
        Assert.All(result.Attributes, a => Assert.True(a.Score > 0));
        Assert.Equal(result.Attributes.OrderByDescending(a => a.Score).Select(a => a.Score), result.Attributes.Select(a => a.Score));
    }

    [Fact]
    public void A_text_key_unique_per_span_is_dropped_and_named()
    {
        var result = Planted().Rank(limit: 100);

        Assert.DoesNotContain(result.Attributes, a => a.Key == "user.id");
        Assert.Contains(new TriageKey(TriageScope.Span, "user.id"), result.HighCardinalityKeys);
    }

    [Fact]
    public void A_numeric_key_unique_per_span_is_counted_in_1_2_5_buckets()
    {
        var result = Planted().Rank(limit: 100);

        // Errors carry amounts 500..599 (all in [500, 1000)), the rest 100..1099.
        var bucket = Assert.Single(result.Attributes, a => a.Key == "payment.amount_cents");
        Assert.True(bucket.Value.IsRange);
        Assert.Equal("[500, 1000)", bucket.Value.ToString());
        Assert.Equal(100, bucket.SelectionCount);
        Assert.Equal(500, bucket.BaselineCount);
        Assert.DoesNotContain(new TriageKey(TriageScope.Span, "payment.amount_cents"), result.HighCardinalityKeys);
    }

    [Fact]
    public void A_key_past_the_value_cap_stops_counting_text_but_buckets_numbers()
    {
        var counter = new TriageCounter(new TriageOptions { MaxValuesPerKey = 4 });
        for (var i = 0; i < 10; i++)
        {
            counter.CountSpan(selected: true);
            counter.Key(TriageScope.Span, "request.id")!.Count(true, $"r{i}");
            counter.Key(TriageScope.Span, "size")!.Count(true, 10 + i);
        }

        Assert.True(counter.Key(TriageScope.Span, "request.id")!.Dropped);
        var result = counter.Rank(10);
        Assert.Equal([new TriageKey(TriageScope.Span, "request.id")], result.HighCardinalityKeys);
        var size = Assert.Single(result.Attributes);
        Assert.Equal(("[10, 20)", 10L), (size.Value.ToString(), size.SelectionCount));
    }

    [Fact]
    public void Keys_past_the_key_cap_are_not_counted_but_reported()
    {
        var counter = new TriageCounter(new TriageOptions { MaxKeys = 2 });
        counter.CountSpan(selected: true);
        foreach (var key in new[] { "a", "b", "c", "d" }) counter.Key(TriageScope.Span, key)?.Count(true, "x");

        var result = counter.Rank(10);

        Assert.Equal(["a", "b"], result.Attributes.Select(a => a.Key).Order());
        Assert.Equal(2, result.OmittedValues);
    }

    [Fact]
    public void A_whole_span_counts_its_name_and_service_as_attributes()
    {
        var counter = new TriageCounter();
        counter.CountSpan(SpanOf("charge card", new Resource([new("service.name", "payments")]), StatusCode.Error), selected: true);
        counter.CountSpan(SpanOf("GET /cart", Resource.Empty, StatusCode.Unset), selected: false);

        var result = counter.Rank(10);

        Assert.Contains(result.Attributes, a => (a.Scope, a.Key, a.Value.ToString(), a.SelectionPercent) == (TriageScope.Intrinsic, "name", "charge card", 100.0));
        Assert.Contains(result.Attributes, a => (a.Scope, a.Key, a.Value.ToString()) == (TriageScope.Resource, "service.name", "payments"));
        // A resource without service.name is counted under the name every query sees for it.
        var counted = counter.Key(TriageScope.Resource, "service.name")!;
        Assert.Equal(2, counted.Spans);
    }

    [Fact]
    public void Values_that_cannot_be_compared_are_skipped()
    {
        var counter = new TriageCounter(new TriageOptions { MaxValueLength = 8 });
        counter.CountSpan(selected: true);
        var key = counter.Key(TriageScope.Span, "k")!;
        key.Count(true, AttributeValue.FromArray(["a"]));
        key.Count(true, AttributeValue.FromBytes([1]));
        key.Count(true, "a string longer than eight");
        key.Count(true, double.NaN);

        Assert.Equal(0, key.Spans);
        Assert.Empty(counter.Rank(10).Attributes);
    }

    [Fact]
    public void Empty_populations_rank_nothing()
    {
        var counter = new TriageCounter();
        counter.Key(TriageScope.Span, "k");

        var result = counter.Rank(10);

        Assert.Equal((0, 0), (result.SelectionSpanCount, result.BaselineSpanCount));
        Assert.Empty(result.Attributes);
    }

    [Fact]
    public void Resource_attributes_count_once_per_span_whether_resources_are_shared_or_not()
    {
        // 10,000 spans: half share one resource object, half each have their own (more than the
        // counter batches at once), all with the same host values: both ways must count alike.
        var shared = new Resource([new("service.name", "cart"), new("host.name", "h-0")]);
        var counter = new TriageCounter();
        for (var i = 0; i < 10_000; i++)
        {
            var resource = i % 2 == 0 ? shared : new Resource([new("service.name", "cart"), new("host.name", i % 4 == 1 ? "h-1" : "h-0")]);
            counter.CountSpan(SpanOf("GET /cart", resource, StatusCode.Ok), selected: i % 4 == 1);
        }

        var result = counter.Rank(limit: 10);

        // Selected: the 2,500 spans with i % 4 == 1, all on h-1; baseline: the 7,500 others, on h-0.
        Assert.Equal((2500, 7500), (result.SelectionSpanCount, result.BaselineSpanCount));
        var top = Assert.Single(result.Attributes);
        Assert.Equal((TriageScope.Resource, "host.name", "h-1", 2500L, 0L), (top.Scope, top.Key, top.Value.ToString(), top.SelectionCount, top.BaselineCount));
    }

    private static TriageCounter Planted()
    {
        var counter = new TriageCounter();
        for (var i = 0; i < 1100; i++)
        {
            var error = i < 100;
            var amex = error ? i < 90 : i - 100 < 30;
            var amount = error ? 500 + i : 100 + (i - 100);
            var span = SpanOf("POST /pay", Checkout, error ? StatusCode.Error : StatusCode.Ok,
                new("payment.method", amex ? "amex" : "visa"),
                new("user.id", $"user-{i:D5}"),
                new("payment.amount_cents", amount));
            counter.CountSpan(span, selected: error);
        }
        return counter;
    }

    private static Span SpanOf(string name, Resource resource, StatusCode status, params KeyValue[] attributes) => new()
    {
        TraceId = TraceId.FromBytes([.. Enumerable.Repeat((byte)1, 16)]),
        SpanId = new SpanId(1),
        Name = name,
        Resource = resource,
        Status = new SpanStatus(status, string.Empty),
        Attributes = attributes,
    };
}
