using Threadline.Core.Analysis;
using Threadline.Core.Model;

namespace Threadline.Core.Tests.Analysis;

public sealed class TraceComparisonTests
{
    [Fact]
    public void Operations_added_removed_changed_and_the_same_are_told_apart_by_path()
    {
        var left = new TestTrace(1)
            .Add(1, 0, "frontend", "GET /cart", 0, 100, SpanKind.Server)
            .Add(2, 1, "cart", "SELECT cart", 10, 20, SpanKind.Client)
            .Add(3, 1, "cart", "SELECT cart", 30, 40, SpanKind.Client)
            .Add(4, 1, "frontend", "render", 50, 60)
            .Add(5, 1, "cache", "GET", 60, 65, SpanKind.Client);
        var right = new TestTrace(2)
            .Add(1, 0, "frontend", "GET /cart", 0, 102, SpanKind.Server)
            .Add(2, 1, "cart", "SELECT cart", 10, 20, SpanKind.Client)
            .Add(3, 1, "cart", "SELECT cart", 30, 40, SpanKind.Client)
            .Add(4, 1, "cart", "SELECT cart", 40, 50, SpanKind.Client)
            .Add(5, 1, "frontend", "render", 50, 60.5)
            .Add(6, 1, "pricing", "GET /price", 70, 90, SpanKind.Client);

        var result = TraceComparison.Compare(TraceTree.Build(left.Spans), TraceTree.Build(right.Spans));

        Assert.Equal(
            [
                ("frontend: GET /cart", OperationChange.Same, 1L, 1L),
                ("frontend: GET /cart/cart: SELECT cart", OperationChange.Changed, 2, 3),
                ("frontend: GET /cart/frontend: render", OperationChange.Same, 1, 1),
                ("frontend: GET /cart/cache: GET", OperationChange.Removed, 1, 0),
                ("frontend: GET /cart/pricing: GET /price", OperationChange.Added, 0, 1),
            ],
            result.Operations.Select(o => (string.Join("/", o.Path), o.Change, o.LeftCount, o.RightCount)));
        var select = result.Operations[1];
        Assert.Equal((TestTrace.Ms(20), TestTrace.Ms(30)), (select.LeftDurationNanos, select.RightDurationNanos));
        Assert.Equal(("cart", "SELECT cart"), (select.Service, select.Name));
        Assert.Equal((left.TraceId, "frontend", "GET /cart", TestTrace.Ms(100), 5L), (result.Left.TraceId!.Value, result.Left.RootService, result.Left.RootName, result.Left.DurationNanos, result.Left.SpanCount));
        Assert.False(result.Truncated);
    }

    [Fact]
    public void A_duration_change_over_ten_percent_with_the_same_count_is_a_change()
    {
        var left = new TestTrace(1).Add(1, 0, "a", "op", 0, 100);
        var right = new TestTrace(2).Add(1, 0, "a", "op", 0, 115);

        var result = TraceComparison.Compare(TraceTree.Build(left.Spans), TraceTree.Build(right.Spans));

        Assert.Equal(OperationChange.Changed, Assert.Single(result.Operations).Change);
    }

    [Fact]
    public void The_same_name_under_different_parents_are_different_paths()
    {
        var left = new TestTrace(1)
            .Add(1, 0, "a", "root", 0, 100)
            .Add(2, 1, "a", "x", 10, 20)
            .Add(3, 2, "db", "query", 11, 12);
        var right = new TestTrace(2)
            .Add(1, 0, "a", "root", 0, 100)
            .Add(2, 1, "a", "y", 10, 20)
            .Add(3, 2, "db", "query", 11, 12);

        var result = TraceComparison.Compare(TraceTree.Build(left.Spans), TraceTree.Build(right.Spans));

        Assert.Equal(
            [OperationChange.Same, OperationChange.Removed, OperationChange.Removed, OperationChange.Added, OperationChange.Added],
            result.Operations.Select(o => o.Change));
    }

    [Fact]
    public void The_typical_trace_holds_median_counts_and_durations_and_drops_rare_paths()
    {
        TraceTree Sample(ulong id, int queries, double queryMs, bool retry)
        {
            var trace = new TestTrace(id).Add(1, 0, "web", "GET /", 0, 100);
            for (var q = 0; q < queries; q++) trace.Add(10 + (ulong)q, 1, "db", "SELECT", q * 10, (q * 10) + queryMs);
            if (retry) trace.Add(99, 1, "web", "retry", 90, 95);
            return TraceTree.Build(trace.Spans);
        }
        var typical = TypicalTrace.Build([Sample(1, 2, 5, false), Sample(2, 3, 4, false), Sample(3, 2, 6, true)]);
        var trace = Sample(4, 4, 5, false);

        var result = TraceComparison.Compare(trace, typical);

        Assert.Equal(3, result.Right.SampleCount);
        Assert.Null(result.Right.TraceId);
        Assert.Equal(4, result.Right.SpanCount); // 3, 4 and 4 spans
        var select = result.Operations.Single(o => o.Name == "SELECT");
        Assert.Equal((4L, 2L, TestTrace.Ms(20), TestTrace.Ms(12)), (select.LeftCount, select.RightCount, select.LeftDurationNanos, select.RightDurationNanos));
        Assert.Equal(OperationChange.Changed, select.Change);
        Assert.DoesNotContain(result.Operations, o => o.Name == "retry"); // in one sample of three: not typical
    }

    [Fact]
    public void A_very_deep_trace_lists_a_bounded_number_of_paths()
    {
        var chain = AnalysisShapes.Chain(5_000);
        var renamed = chain.Select((s, k) => new Span
        {
            TraceId = s.TraceId, SpanId = s.SpanId, ParentSpanId = s.ParentSpanId, Name = "step " + k,
            StartTimeUnixNano = s.StartTimeUnixNano, EndTimeUnixNano = s.EndTimeUnixNano, Resource = s.Resource,
        }).ToList();

        var result = TraceComparison.Compare(TraceTree.Build(renamed), TraceTree.Build(chain));

        Assert.True(result.Truncated);
        Assert.Equal(TraceComparison.MaxOperations, result.Operations.Count);
    }
}
