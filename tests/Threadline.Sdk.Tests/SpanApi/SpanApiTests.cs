using System.Diagnostics;

namespace Threadline.Sdk.Tests.SpanApi;

public sealed class SpanApiTests
{
    [Fact]
    public void StartSpan_starts_a_current_span_with_kind_attributes_and_links()
    {
        using var tracing = TestTracing.Start();
        var linked = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);

        using (var span = tracing.Source.StartSpan("GET /orders/{id}", ActivityKind.Server, [new("http.request.method", "GET")], [new ActivityLink(linked)]))
        {
            Assert.Same(span, Activity.Current);
        }

        var exported = Assert.Single(tracing.Spans);
        Assert.Equal("GET /orders/{id}", exported.DisplayName);
        Assert.Equal(ActivityKind.Server, exported.Kind);
        Assert.Equal("GET", exported.GetTagItem("http.request.method"));
        Assert.Equal(linked, exported.Links.Single().Context);
        Assert.True(exported.IsStopped);
    }

    [Fact]
    public void Nested_spans_form_a_tree_and_the_parent_becomes_current_again()
    {
        using var tracing = TestTracing.Start();
        using (var parent = tracing.Source.StartSpan("parent"))
        {
            using (var child = tracing.Source.StartSpan("child"))
            {
                Assert.Equal(parent!.SpanId, child!.ParentSpanId);
            }
            Assert.Same(parent, Activity.Current);
        }
        Assert.Equal(["child", "parent"], tracing.Spans.Select(s => s.DisplayName));
    }

    [Fact]
    public void An_explicit_parent_is_used_instead_of_the_current_span()
    {
        using var tracing = TestTracing.Start();
        var remote = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);
        using (tracing.Source.StartSpan("local"))
        using (var server = tracing.Source.StartSpan("server", ActivityKind.Server, parent: remote))
        {
            Assert.Equal(remote.TraceId, server!.TraceId);
            Assert.Equal(remote.SpanId, server.ParentSpanId);
            Assert.True(server.HasRemoteParent);
        }
    }

    [Fact]
    public void Helpers_accept_a_null_span()
    {
        using var source = TestTracing.UniqueSource();
        var span = source.StartSpan("nobody listens");
        Assert.Null(span);
        Assert.Null(span.SetAttribute("a", "b").AddEvent("e").RecordException(new InvalidOperationException()).SetSpanStatus(ActivityStatusCode.Error));
    }

    [Fact]
    public void Typed_attributes_are_stored_with_their_types()
    {
        using var tracing = TestTracing.Start();
        using (var span = tracing.Source.StartSpan("typed"))
        {
            span.SetAttribute("string", "text")
                .SetAttribute("bool", true)
                .SetAttribute("long", 42L)
                .SetAttribute("int", 7)
                .SetAttribute("big", 1L << 40)
                .SetAttribute("double", 0.5)
                .SetAttribute("strings", ["a", "b"])
                .SetAttribute("bools", [true, false])
                .SetAttribute("longs", [1L, 2L])
                .SetAttribute("doubles", [1.5, 2.5]);
        }

        var exported = Assert.Single(tracing.Spans);
        Assert.Equal("text", exported.GetTagItem("string"));
        Assert.Equal(true, exported.GetTagItem("bool"));
        Assert.Equal(42L, exported.GetTagItem("long"));
        Assert.Equal(7L, exported.GetTagItem("int"));
        Assert.Equal(1L << 40, exported.GetTagItem("big"));
        Assert.Equal(0.5, exported.GetTagItem("double"));
        Assert.Equal(new[] { "a", "b" }, exported.GetTagItem("strings"));
        Assert.Equal(new[] { true, false }, exported.GetTagItem("bools"));
        Assert.Equal(new[] { 1L, 2L }, exported.GetTagItem("longs"));
        Assert.Equal(new[] { 1.5, 2.5 }, exported.GetTagItem("doubles"));
    }

    [Fact]
    public void Setting_an_attribute_again_replaces_it_and_null_removes_it()
    {
        using var tracing = TestTracing.Start();
        using (var span = tracing.Source.StartSpan("replace"))
        {
            span.SetAttribute("k", "first").SetAttribute("k", "second").SetAttribute("gone", "x").SetAttribute("gone", (string?)null);
        }
        var exported = Assert.Single(tracing.Spans);
        Assert.Equal("second", exported.GetTagItem("k"));
        Assert.Null(exported.GetTagItem("gone"));
        Assert.Single(exported.TagObjects);
    }

    [Fact]
    public void Helpers_do_nothing_on_a_span_that_is_not_recorded()
    {
        using var tracing = TestTracing.Start(o => o.Sampler = new global::Threadline.Sdk.Sampling.AlwaysOffSampler());
        using var span = tracing.Source.StartSpan("dropped");
        span.SetAttribute("a", "b").AddEvent("e").SetSpanStatus(ActivityStatusCode.Error, "x");
        Assert.Empty(span!.TagObjects);
        Assert.Empty(span.Events);
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
    }

    [Fact]
    public void AddEvent_records_name_attributes_and_timestamp()
    {
        using var tracing = TestTracing.Start();
        var at = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        using (var span = tracing.Source.StartSpan("events"))
        {
            span.AddEvent("cache.miss", [new("cache.key", "order:42")], at);
            span.AddEvent("retry");
        }

        var events = Assert.Single(tracing.Spans).Events.ToList();
        Assert.Equal("cache.miss", events[0].Name);
        Assert.Equal(at, events[0].Timestamp);
        Assert.Equal("order:42", events[0].Tags.Single().Value);
        Assert.Equal("retry", events[1].Name);
        Assert.NotEqual(default, events[1].Timestamp);
    }

    [Fact]
    public void RecordException_adds_the_exception_event()
    {
        using var tracing = TestTracing.Start();
        Exception thrown;
        try
        {
            throw new InvalidOperationException("card declined");
        }
        catch (InvalidOperationException ex)
        {
            thrown = ex;
        }

        using (var span = tracing.Source.StartSpan("charge"))
        {
            span.RecordException(thrown, escaped: true, attributes: [new("payment.provider", "acme")]);
            span.RecordException(new TimeoutException("slow"));
        }

        var events = Assert.Single(tracing.Spans).Events.ToList();
        var first = events[0].Tags.ToDictionary(t => t.Key, t => t.Value);
        Assert.Equal("exception", events[0].Name);
        Assert.Equal("System.InvalidOperationException", first["exception.type"]);
        Assert.Equal("card declined", first["exception.message"]);
        Assert.Contains(nameof(RecordException_adds_the_exception_event), (string)first["exception.stacktrace"]!);
        Assert.Equal(true, first["exception.escaped"]);
        Assert.Equal("acme", first["payment.provider"]);
        var second = events[1].Tags.ToDictionary(t => t.Key, t => t.Value);
        Assert.False(second.ContainsKey("exception.escaped"));
        Assert.Equal("System.TimeoutException", second["exception.type"]);
    }

    [Fact]
    public void RecordException_leaves_the_status_alone()
    {
        using var tracing = TestTracing.Start();
        using (var span = tracing.Source.StartSpan("handled"))
        {
            span.RecordException(new InvalidOperationException());
        }
        Assert.Equal(ActivityStatusCode.Unset, Assert.Single(tracing.Spans).Status);
    }

    [Fact]
    public void Ok_is_final()
    {
        using var tracing = TestTracing.Start();
        using var span = tracing.Source.StartSpan("ok");
        span.SetSpanStatus(ActivityStatusCode.Ok);
        span.SetSpanStatus(ActivityStatusCode.Error, "too late");
        span.SetSpanStatus(ActivityStatusCode.Unset);
        Assert.Equal(ActivityStatusCode.Ok, span!.Status);
        Assert.Null(span.StatusDescription);
    }

    [Fact]
    public void Error_may_become_ok_and_unset_is_ignored()
    {
        using var tracing = TestTracing.Start();
        using var span = tracing.Source.StartSpan("retry");
        span.SetSpanStatus(ActivityStatusCode.Error, "first attempt failed");
        span.SetSpanStatus(ActivityStatusCode.Unset);
        Assert.Equal(ActivityStatusCode.Error, span!.Status);
        Assert.Equal("first attempt failed", span.StatusDescription);

        span.SetSpanStatus(ActivityStatusCode.Ok, "ignored description");
        Assert.Equal(ActivityStatusCode.Ok, span.Status);
        Assert.Null(span.StatusDescription);
    }

    [Fact]
    public void A_span_ends_when_disposed_even_when_the_code_throws()
    {
        using var tracing = TestTracing.Start();
        void Fail()
        {
            using var span = tracing.Source.StartSpan("failing");
            throw new InvalidOperationException();
        }

        Assert.Throws<InvalidOperationException>(Fail);
        Assert.True(Assert.Single(tracing.Spans).IsStopped);
        Assert.Null(Activity.Current);
    }
}
