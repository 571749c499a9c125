using System.Diagnostics;

namespace Threadline.Sdk.Tests.Limits;

public sealed class SpanLimitsTests
{
    [Fact]
    public void Defaults_follow_the_specification()
    {
        var limits = new SpanLimits();
        Assert.Equal(128, limits.AttributeCountLimit);
        Assert.Null(limits.AttributeValueLengthLimit);
        Assert.Equal(128, limits.EventCountLimit);
        Assert.Equal(128, limits.LinkCountLimit);
        Assert.Equal(128, limits.AttributePerEventCountLimit);
        Assert.Equal(128, limits.AttributePerLinkCountLimit);
        Assert.Throws<ArgumentOutOfRangeException>(() => limits.EventCountLimit = -1);
    }

    [Fact]
    public void Attributes_over_the_count_limit_are_dropped_and_counted_when_set()
    {
        using var tracing = TestTracing.Start(o => o.SpanLimits.AttributeCountLimit = 2);
        using (var span = tracing.Source.StartSpan("limited"))
        {
            span.SetAttribute("a", 1L).SetAttribute("b", 2L).SetAttribute("c", 3L).SetAttribute("d", "x");
            // Replacing a kept attribute is not a new attribute.
            span.SetAttribute("a", 10L);
        }

        var exported = Assert.Single(tracing.Spans);
        Assert.Equal(["a", "b"], exported.EnumerateTagObjectsList().Select(t => t.Key));
        Assert.Equal(10L, exported.GetTagItem("a"));
        Assert.Equal(2, DroppedCounts.Get(exported)!.Attributes);
    }

    [Fact]
    public void Attributes_set_directly_on_the_activity_are_trimmed_at_end_keeping_the_first()
    {
        using var tracing = TestTracing.Start(o => o.SpanLimits.AttributeCountLimit = 3);
        using (var span = tracing.Source.StartActivity("direct"))
        {
            for (var i = 0; i < 5; i++) span!.SetTag("k" + i, i);
        }

        var exported = Assert.Single(tracing.Spans);
        Assert.Equal(["k0", "k1", "k2"], exported.EnumerateTagObjectsList().Select(t => t.Key));
        Assert.Equal(2, DroppedCounts.Get(exported)!.Attributes);
    }

    [Fact]
    public void Attributes_given_at_start_are_trimmed_before_processors_see_the_span()
    {
        var starts = new List<int>();
        using var tracing = TestTracing.Start(o =>
        {
            o.SpanLimits.AttributeCountLimit = 1;
            o.AddProcessor(new StartCounter(starts));
        });
        using (tracing.Source.StartSpan("s", attributes: [new("a", "1"), new("b", "2")]))
        {
        }
        Assert.Equal([1], starts);
        Assert.Equal(1, DroppedCounts.Get(Assert.Single(tracing.Spans))!.Attributes);
    }

    [Fact]
    public void Long_strings_and_string_array_elements_are_truncated()
    {
        using var tracing = TestTracing.Start(o => o.SpanLimits.AttributeValueLengthLimit = 4);
        using (var span = tracing.Source.StartSpan("truncated"))
        {
            span.SetAttribute("helper", "abcdefgh");
            span.SetAttribute("array", ["abcdefgh", "ab", null!]);
            span.SetAttribute("number", 123456789L);
            span!.SetTag("direct", "0123456789");
        }

        var exported = Assert.Single(tracing.Spans);
        Assert.Equal("abcd", exported.GetTagItem("helper"));
        Assert.Equal(new[] { "abcd", "ab", null }, (string?[])exported.GetTagItem("array")!);
        Assert.Equal(123456789L, exported.GetTagItem("number"));
        Assert.Equal("0123", exported.GetTagItem("direct"));
        Assert.Null(DroppedCounts.Get(exported));
    }

    [Fact]
    public void Truncation_does_not_split_a_surrogate_pair()
    {
        var limits = new SpanLimits { AttributeValueLengthLimit = 3 };
        Assert.Equal("ab", limits.Truncate("ab😀c"));
        Assert.Equal("ab😀", new SpanLimits { AttributeValueLengthLimit = 4 }.Truncate("ab😀c"));
    }

    [Fact]
    public void Events_over_the_limit_are_dropped_and_counted()
    {
        using var tracing = TestTracing.Start(o => o.SpanLimits.EventCountLimit = 2);
        using (var span = tracing.Source.StartSpan("events"))
        {
            for (var i = 0; i < 4; i++) span.AddEvent("e" + i);
        }

        var exported = Assert.Single(tracing.Spans);
        Assert.Equal(["e0", "e1"], exported.Events.Select(e => e.Name));
        Assert.Equal(2, DroppedCounts.Get(exported)!.Events);
    }

    [Fact]
    public void Events_added_directly_are_trimmed_in_the_exported_list()
    {
        using var tracing = TestTracing.Start(o =>
        {
            o.SpanLimits.EventCountLimit = 2;
            o.SpanLimits.AttributePerEventCountLimit = 1;
            o.SpanLimits.AttributeValueLengthLimit = 3;
        });
        using (var span = tracing.Source.StartActivity("direct events"))
        {
            span!.AddEvent(new ActivityEvent("e0", tags: new ActivityTagsCollection { ["a"] = "long value", ["b"] = "x" }));
            span.AddEvent(new ActivityEvent("e1"));
            span.AddEvent(new ActivityEvent("e2"));
        }

        var exported = Assert.Single(tracing.Spans);
        var counts = DroppedCounts.Get(exported)!;
        Assert.Equal(1, counts.Events);
        Assert.Equal([1], counts.EventAttributes!);
        var events = DroppedCounts.EventsToExport(exported).ToList();
        Assert.Equal(["e0", "e1"], events.Select(e => e.Name));
        Assert.Equal([new KeyValuePair<string, object?>("a", "lon")], events[0].Tags);
    }

    [Fact]
    public void Event_attributes_over_the_limit_are_dropped_and_counted_per_event()
    {
        using var tracing = TestTracing.Start(o => o.SpanLimits.AttributePerEventCountLimit = 2);
        using (var span = tracing.Source.StartSpan("event attributes"))
        {
            span.AddEvent("small", [new("a", 1L)]);
            span.AddEvent("big", [new("a", 1L), new("b", 2L), new("c", 3L), new("d", 4L)]);
        }

        var exported = Assert.Single(tracing.Spans);
        var big = exported.Events.Last();
        Assert.Equal(["a", "b"], big.Tags.Select(t => t.Key));
        Assert.Equal([0, 2], DroppedCounts.Get(exported)!.EventAttributes!);
    }

    [Fact]
    public void Links_over_the_limit_are_dropped_and_counted_at_start()
    {
        using var tracing = TestTracing.Start(o => o.SpanLimits.LinkCountLimit = 2);
        var links = Enumerable.Range(0, 5)
            .Select(_ => new ActivityLink(new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded)))
            .ToList();

        using (tracing.Source.StartSpan("batch", ActivityKind.Consumer, links: links))
        {
        }

        var exported = Assert.Single(tracing.Spans);
        Assert.Equal(links.Take(2).Select(l => l.Context.SpanId), exported.Links.Select(l => l.Context.SpanId));
        Assert.Equal(3, DroppedCounts.Get(exported)!.Links);
    }

    [Fact]
    public void Link_attributes_over_the_limit_are_dropped_and_counted_per_link()
    {
        using var tracing = TestTracing.Start(o => o.SpanLimits.AttributePerLinkCountLimit = 1);
        var context = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var link = new ActivityLink(context, new ActivityTagsCollection { ["a"] = 1L, ["b"] = 2L, ["c"] = 3L });

        using (tracing.Source.StartSpan("linked", links: [link]))
        {
        }

        var exported = Assert.Single(tracing.Spans);
        Assert.Equal(["a"], exported.Links.Single().Tags!.Select(t => t.Key));
        Assert.Equal([2], DroppedCounts.Get(exported)!.LinkAttributes!);
    }

    [Fact]
    public void Links_added_directly_are_trimmed_in_the_exported_list()
    {
        using var tracing = TestTracing.Start(o => o.SpanLimits.LinkCountLimit = 1);
        using (var span = tracing.Source.StartActivity("direct links"))
        {
            span!.AddLink(new ActivityLink(new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None)));
            span.AddLink(new ActivityLink(new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None)));
        }

        var exported = Assert.Single(tracing.Spans);
        Assert.Equal(1, DroppedCounts.Get(exported)!.Links);
        Assert.Single(DroppedCounts.LinksToExport(exported));
        Assert.Equal(2, exported.Links.Count());
    }

    [Fact]
    public void A_span_within_its_limits_carries_no_dropped_counts()
    {
        using var tracing = TestTracing.Start();
        using (var span = tracing.Source.StartSpan("small"))
        {
            span.SetAttribute("a", "b").AddEvent("e");
        }
        var exported = Assert.Single(tracing.Spans);
        Assert.Null(DroppedCounts.Get(exported));
        Assert.Same(exported.Events, DroppedCounts.EventsToExport(exported));
    }

    [Fact]
    public void Sessions_with_different_limits_each_apply_their_own_in_the_helpers()
    {
        using var strict = TestTracing.Start(o => o.SpanLimits.AttributeCountLimit = 1);
        using var sameAsStrict = TestTracing.Start(o => o.SpanLimits.AttributeCountLimit = 1);
        using var relaxed = TestTracing.Start();
        foreach (var tracing in new[] { strict, sameAsStrict, relaxed })
        {
            using var span = tracing.Source.StartSpan("s");
            span.SetAttribute("a", 1L).SetAttribute("b", 2L);
        }

        Assert.Single(Assert.Single(strict.Spans).EnumerateTagObjectsList());
        Assert.Single(Assert.Single(sameAsStrict.Spans).EnumerateTagObjectsList());
        Assert.Equal(2, Assert.Single(relaxed.Spans).EnumerateTagObjectsList().Count);
    }

    private sealed class StartCounter(List<int> starts) : global::Threadline.Sdk.Processing.SpanProcessor
    {
        public override void OnStart(Activity activity) => starts.Add(activity.EnumerateTagObjectsList().Count);
    }
}

internal static class ActivityTestExtensions
{
    public static List<KeyValuePair<string, object?>> EnumerateTagObjectsList(this Activity activity)
    {
        var tags = new List<KeyValuePair<string, object?>>();
        foreach (var tag in activity.EnumerateTagObjects()) tags.Add(tag);
        return tags;
    }
}
