using Threadline.Core.Analysis;
using Threadline.Core.Model;
using Threadline.Core.Synthetic;

namespace Threadline.Core.Tests.Analysis;

public sealed class CriticalPathTests
{
    [Fact]
    public void Sequential_children_are_each_on_the_path_with_the_parent_between_them()
    {
        var trace = new TestTrace()
            .Add(1, 0, "web", "root", 0, 100)
            .Add(2, 1, "web", "a", 10, 40)
            .Add(3, 1, "web", "b", 50, 90);

        var path = Compute(trace);

        Assert.Equal([(1UL, 0.0, 10.0), (2, 10, 40), (1, 40, 50), (3, 50, 90), (1, 90, 100)], Slices(trace, path));
        Assert.Equal(TestTrace.Ms(100), path.DurationNanos);
    }

    [Fact]
    public void Of_parallel_children_only_the_one_finishing_last_is_on_the_path()
    {
        var trace = new TestTrace()
            .Add(1, 0, "web", "root", 0, 100)
            .Add(2, 1, "web", "slow", 10, 80)
            .Add(3, 1, "web", "fast", 10, 60);

        var path = Compute(trace);

        Assert.Equal([(1UL, 0.0, 10.0), (2, 10, 80), (1, 80, 100)], Slices(trace, path));
    }

    [Fact]
    public void An_overlapping_child_ending_after_the_next_one_started_is_skipped_and_nesting_is_followed()
    {
        var trace = new TestTrace()
            .Add(1, 0, "web", "root", 0, 100)
            .Add(2, 1, "web", "a", 10, 50)
            .Add(3, 1, "web", "b", 40, 90)
            .Add(4, 3, "db", "query", 45, 85, SpanKind.Client);

        var path = Compute(trace);

        Assert.Equal([(1UL, 0.0, 40.0), (3, 40, 45), (4, 45, 85), (3, 85, 90), (1, 90, 100)], Slices(trace, path));
    }

    [Fact]
    public void A_consumer_running_after_its_producer_returned_extends_the_trace_and_the_queue_wait_goes_to_the_producer()
    {
        var trace = new TestTrace()
            .Add(1, 0, "web", "POST /order", 0, 30, SpanKind.Server)
            .Add(2, 1, "web", "publish orders", 5, 10, SpanKind.Producer)
            .Add(3, 2, "worker", "process orders", 50, 80, SpanKind.Consumer);

        var path = Compute(trace);

        Assert.Equal([(1UL, 0.0, 5.0), (2, 5, 50), (3, 50, 80)], Slices(trace, path));
        Assert.Equal(TestTrace.Ms(80), path.DurationNanos);
        Assert.Equal([(1UL, 5.0), (2, 45), (3, 30)], path.Spans.Select(s => (trace.Spans[s.SpanIndex].SpanId.Value, s.CriticalNanos / 1e6)));
    }

    [Fact]
    public void A_subtree_reached_only_by_a_link_is_an_async_child_of_the_linked_span()
    {
        var trace = new TestTrace();
        trace.Add(1, 0, "web", "root", 0, 20)
            .Add(2, 1, "web", "enqueue", 5, 10)
            .Add(3, 0, "batch", "process batch", 30, 60, links: [trace.LinkTo(2)]);

        var path = Compute(trace);

        Assert.Equal([(1UL, 0.0, 5.0), (2, 5, 30), (3, 30, 60)], Slices(trace, path));
    }

    [Fact]
    public void Of_several_subtrees_the_path_runs_through_the_one_holding_the_last_end()
    {
        var trace = new TestTrace()
            .Add(1, 0, "web", "root", 0, 50)
            .Add(2, 77, "pay", "orphan", 10, 120)
            .Add(3, 2, "pay", "work", 20, 110);

        var path = Compute(trace);

        Assert.Equal(1, path.TopIndex);
        Assert.Equal([(2UL, 10.0, 20.0), (3, 20, 110), (2, 110, 120)], Slices(trace, path));
    }

    [Fact]
    public void A_child_outside_its_parent_because_of_skew_is_placed_by_the_adjusted_times()
    {
        var trace = new TestTrace()
            .Add(1, 0, "web", "GET /", 0, 100, SpanKind.Server, host: "web-1")
            .Add(2, 1, "web", "call pay", 10, 60, SpanKind.Client, host: "web-1")
            .Add(3, 2, "pay", "pay", 200, 240, SpanKind.Server, host: "pay-1");
        var tree = TraceTree.Build(trace.Spans);

        var path = CriticalPath.Compute(tree, ClockSkew.Adjust(tree));

        // pay-1 is shifted 180 ms earlier: [20, 60] inside the client call.
        Assert.Equal([(1UL, 0.0, 10.0), (2, 10, 20), (3, 20, 60), (1, 60, 100)], Slices(trace, path));
    }

    [Fact]
    public void Never_ended_and_backwards_spans_count_as_instants()
    {
        var trace = new TestTrace()
            .Add(1, 0, "web", "root", 0, 100)
            .AddRaw(2, 1, "web", "open", TestTrace.At(10), 0)
            .AddRaw(3, 1, "web", "backwards", TestTrace.At(50), TestTrace.At(40));

        var path = Compute(trace);

        Assert.Equal([(1UL, 0.0, 100.0)], Slices(trace, path));
    }

    [Fact]
    public void On_generated_traces_the_segments_tile_the_trace_without_gap_or_overlap()
    {
        var generator = new RealisticTraceGenerator(seed: 3, TestTrace.Epoch);
        for (var t = 0; t < 500; t++)
        {
            var spans = generator.NextTrace();
            var tree = TraceTree.Build(spans);
            var path = CriticalPath.Compute(tree, ClockSkew.Adjust(tree));

            Assert.Equal(path.StartUnixNano, path.Segments[0].StartUnixNano);
            Assert.Equal(path.EndUnixNano, path.Segments[^1].EndUnixNano);
            for (var s = 1; s < path.Segments.Count; s++) Assert.Equal(path.Segments[s - 1].EndUnixNano, path.Segments[s].StartUnixNano);
            Assert.Equal(path.DurationNanos, (ulong)path.Spans.Sum(s => (decimal)s.CriticalNanos));
            Assert.Equal(spans.Max(s => s.EndTimeUnixNano) - spans.Min(s => s.StartTimeUnixNano), path.DurationNanos);
        }
    }

    [Fact]
    public void A_chain_of_a_million_spans_completes_without_stack_overflow()
    {
        var spans = AnalysisShapes.Chain(1_000_000);
        var tree = TraceTree.Build(spans);

        var path = CriticalPath.Compute(tree, ClockSkew.Adjust(tree));

        Assert.Equal(1_000_000, path.Spans.Count);
        Assert.Equal(2 * 1_000_000 - 1, path.Segments.Count); // in and out of every span, the deepest one whole
        Assert.Equal(2_000_000UL * 1_000, path.DurationNanos);
    }

    [Fact]
    public void A_trace_of_a_million_siblings_completes()
    {
        var spans = AnalysisShapes.Wide(1_000_000);
        var tree = TraceTree.Build(spans);

        var path = CriticalPath.Compute(tree, ClockSkew.Adjust(tree));

        Assert.Equal(path.DurationNanos, (ulong)path.Spans.Sum(s => (decimal)s.CriticalNanos));
        Assert.Equal(spans.Count - 1, path.Segments[^2].SpanIndex); // the last child to finish, then the root's tail
    }

    private static CriticalPathResult Compute(TestTrace trace)
    {
        var tree = TraceTree.Build(trace.Spans);
        return CriticalPath.Compute(tree, ClockSkew.Adjust(tree));
    }

    /// <summary>Segments as (span id, start ms, end ms).</summary>
    private static (ulong, double, double)[] Slices(TestTrace trace, CriticalPathResult path) =>
        path.Segments.Select(s => (trace.Spans[s.SpanIndex].SpanId.Value,
            (s.StartUnixNano - TestTrace.Epoch) / 1e6, (s.EndUnixNano - TestTrace.Epoch) / 1e6)).ToArray();
}
