using Threadline.Core.Analysis;
using Threadline.Core.Model;

namespace Threadline.Core.Tests.Analysis;

public sealed class TraceTreeTests
{
    [Fact]
    public void Children_are_indexed_under_their_parent_in_start_order_with_depth()
    {
        var trace = new TestTrace()
            .Add(3, 1, "web", "late child", 50, 60)
            .Add(1, 0, "web", "root", 0, 100)
            .Add(2, 1, "web", "early child", 10, 20)
            .Add(4, 2, "web", "grandchild", 12, 18);

        var tree = TraceTree.Build(trace.Spans);

        Assert.Equal([1], tree.Roots);
        Assert.Equal([2, 0], tree.ChildrenOf(1).ToArray());
        Assert.Equal(1, tree.ParentOf(0));
        Assert.Equal(-1, tree.ParentOf(1));
        Assert.Equal(2, tree.DepthOf(3));
        Assert.Equal(3, tree.Depth);
        Assert.Empty(tree.Orphans);
    }

    [Fact]
    public void A_span_naming_an_absent_parent_is_kept_as_an_orphan_top()
    {
        var trace = new TestTrace()
            .Add(1, 0, "web", "root", 0, 100)
            .Add(7, 99, "pay", "orphan", 10, 20)
            .Add(8, 7, "pay", "under orphan", 11, 19);

        var tree = TraceTree.Build(trace.Spans);

        Assert.Equal([1], tree.Orphans);
        Assert.Equal(new SpanId(99), tree.Spans[tree.Orphans[0]].ParentSpanId);
        Assert.Equal([0, 1], tree.Tops);
        Assert.Equal([2], tree.ChildrenOf(1).ToArray());
    }

    [Fact]
    public void Duplicate_span_ids_are_reported_and_the_first_keeps_the_children()
    {
        var trace = new TestTrace()
            .Add(1, 0, "web", "root", 0, 100)
            .Add(2, 1, "web", "first", 10, 20)
            .Add(2, 1, "web", "second", 30, 40)
            .Add(3, 2, "web", "child", 12, 18);

        var tree = TraceTree.Build(trace.Spans);

        var duplicate = Assert.Single(tree.Duplicates);
        Assert.Equal(new SpanId(2), duplicate.SpanId);
        Assert.Equal([1, 2], duplicate.Indexes);
        Assert.Equal([3], tree.ChildrenOf(1).ToArray());
        Assert.True(tree.ChildrenOf(2).IsEmpty);
    }

    [Fact]
    public void A_loop_of_parent_links_is_cut_so_every_span_is_reachable()
    {
        var trace = new TestTrace()
            .Add(1, 3, "web", "a", 0, 100)
            .Add(2, 1, "web", "b", 10, 90)
            .Add(3, 2, "web", "c", 20, 80);

        var tree = TraceTree.Build(trace.Spans);

        var cut = Assert.Single(tree.LoopBreaks);
        Assert.Equal(-1, tree.ParentOf(cut));
        Assert.Equal(3, tree.Depth);
        Assert.Empty(tree.Roots);
    }

    [Fact]
    public void A_chain_of_a_million_spans_builds_without_recursion()
    {
        var spans = AnalysisShapes.Chain(1_000_000);

        var tree = TraceTree.Build(spans);

        Assert.Equal(1_000_000, tree.Depth);
        Assert.Equal(999_999, tree.DepthOf(spans.Count - 1));
    }
}
