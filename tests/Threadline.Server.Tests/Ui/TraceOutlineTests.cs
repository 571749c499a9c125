using Threadline.Core.Model;
using Threadline.Server.Api.Ui;
using Threadline.Server.Tests.Infrastructure;

namespace Threadline.Server.Tests.Ui;

/// <summary>The outline's tree order: parents before children, siblings by start, broken trees still whole.</summary>
public sealed class TraceOutlineTests
{
    private static readonly TraceId Trace = TestSpans.NewTraceId();

    private static Span NewSpan(ulong id, ulong parent, ulong start, string name = "op") => new()
    {
        TraceId = Trace,
        SpanId = new SpanId(id),
        ParentSpanId = new SpanId(parent),
        Name = name,
        StartTimeUnixNano = start,
        EndTimeUnixNano = start + 10,
    };

    private static ulong[] Ids(TraceOutline outline) => outline.Spans.Select(span => span.SpanId.Value).ToArray();

    [Fact]
    public void Spans_come_depth_first_with_siblings_by_start_and_parents_as_indexes()
    {
        // As the store gives them: by start time.
        var spans = new[] { NewSpan(1, 0, 100), NewSpan(2, 1, 110), NewSpan(3, 1, 120), NewSpan(4, 2, 130), NewSpan(5, 3, 140) };

        var outline = TraceOutline.Build(Trace, spans);

        Assert.Equal(new ulong[] { 1, 2, 4, 3, 5 }, Ids(outline));
        Assert.Equal(new[] { -1, 0, 1, 0, 3 }, outline.Parents);
        Assert.Equal(100UL, outline.StartTimeUnixNano);
        Assert.Equal(50UL, outline.DurationNanos);
    }

    [Fact]
    public void A_span_whose_parent_never_arrived_is_a_flagged_root()
    {
        var spans = new[] { NewSpan(1, 0, 100), NewSpan(7, 99, 105), NewSpan(2, 1, 110) };

        var outline = TraceOutline.Build(Trace, spans);

        Assert.Equal(new ulong[] { 1, 2, 7 }, Ids(outline));
        Assert.Equal(new[] { -1, 0, -1 }, outline.Parents);
        Assert.Equal(TraceOutline.MissingParentFlag, outline.FlagsOf(2));
        Assert.Equal(0, outline.FlagsOf(0));
    }

    [Fact]
    public void Spans_on_a_parent_cycle_are_kept_and_cut_at_the_earliest()
    {
        var spans = new[] { NewSpan(1, 0, 100), NewSpan(2, 3, 110), NewSpan(3, 2, 120) };

        var outline = TraceOutline.Build(Trace, spans);

        Assert.Equal(new ulong[] { 1, 2, 3 }, Ids(outline));
        Assert.Equal(new[] { -1, -1, 1 }, outline.Parents);
    }

    [Fact]
    public void Children_of_a_duplicated_id_attach_to_its_first_span_and_both_are_kept()
    {
        var spans = new[] { NewSpan(1, 0, 100), NewSpan(1, 0, 105), NewSpan(2, 1, 110) };

        var outline = TraceOutline.Build(Trace, spans);

        Assert.Equal(3, outline.Count);
        Assert.Equal(new[] { -1, 0, -1 }, outline.Parents);
    }

    [Fact]
    public void A_chain_a_quarter_million_spans_deep_builds_without_recursion()
    {
        const int depth = 250_000;
        var spans = new Span[depth];
        for (var i = 0; i < depth; i++) spans[i] = NewSpan((ulong)i + 1, (ulong)i, (ulong)(1000 + i));

        var outline = TraceOutline.Build(Trace, spans);

        Assert.Equal(depth, outline.Count);
        Assert.Equal(depth - 2, outline.Parents[depth - 1]);
        Assert.Equal((ulong)depth, outline.Spans[depth - 1].SpanId.Value);
    }
}
