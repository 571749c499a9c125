using Threadline.Core.Model;

namespace Threadline.Storage.Tests;

public sealed class TraceSummarizerTests
{
    private readonly SpanFactory _spans = new();

    [Fact]
    public void Root_is_the_span_without_parent_even_when_a_child_starts_earlier()
    {
        var traceId = _spans.NewTraceId();
        var root = _spans.Make(traceId, "GET /", SpanFactory.Frontend, startMs: 10);
        var child = _spans.Make(traceId, "dns", SpanFactory.Checkout, startMs: 5, parent: root.SpanId);

        var summary = TraceSummarizer.Summarize(traceId, [child, root]);

        Assert.Equal(("frontend", "GET /"), (summary.RootServiceName, summary.RootSpanName));
    }

    [Fact]
    public void Of_several_parentless_spans_the_earliest_is_the_root()
    {
        var traceId = _spans.NewTraceId();
        Span[] spans =
        [
            _spans.Make(traceId, "late root", startMs: 30),
            _spans.Make(traceId, "early root", startMs: 10),
            _spans.Make(traceId, "same start, arrived later", startMs: 10),
        ];

        Assert.Equal("early root", TraceSummarizer.Summarize(traceId, spans).RootSpanName);
    }

    [Fact]
    public void Without_a_root_the_earliest_span_stands_in()
    {
        var traceId = _spans.NewTraceId();
        Span[] spans =
        [
            _spans.Make(traceId, "second", startMs: 20, parent: _spans.NewSpanId()),
            _spans.Make(traceId, "first", startMs: 10, parent: _spans.NewSpanId()),
        ];

        Assert.Equal("first", TraceSummarizer.Summarize(traceId, spans).RootSpanName);
    }

    [Fact]
    public void Duration_is_zero_when_every_span_ends_before_the_earliest_start()
    {
        var traceId = _spans.NewTraceId();
        var broken = new Span
        {
            TraceId = traceId,
            SpanId = _spans.NewSpanId(),
            Name = "clock went backwards",
            StartTimeUnixNano = SpanFactory.At(10),
            EndTimeUnixNano = SpanFactory.At(5),
        };

        var summary = TraceSummarizer.Summarize(traceId, [broken]);

        Assert.Equal(0UL, summary.DurationNanos);
        Assert.Equal(SpanFactory.At(10), summary.StartTimeUnixNano);
    }

    [Fact]
    public void A_trace_without_spans_cannot_be_summarised()
    {
        var error = Assert.Throws<ArgumentException>(() => TraceSummarizer.Summarize(_spans.NewTraceId(), []));

        Assert.Contains("no spans", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_span_of_another_trace_is_refused_naming_both_traces()
    {
        var traceId = _spans.NewTraceId();
        var stranger = _spans.Make(_spans.NewTraceId(), "GET /");

        var error = Assert.Throws<ArgumentException>(() => TraceSummarizer.Summarize(traceId, [stranger]));

        Assert.Contains(traceId.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains(stranger.TraceId.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Incremental_building_gives_the_same_summary_as_summarising_at_once()
    {
        var traceId = _spans.NewTraceId();
        var spans = _spans.CheckoutTrace(traceId, paymentsFails: true);
        var builder = new TraceSummaryBuilder(traceId);
        foreach (var span in spans.Reverse()) builder.Add(span);

        var incremental = builder.ToSummary();
        var atOnce = TraceSummarizer.Summarize(traceId, spans);

        Assert.Equal(atOnce with { Services = [] }, incremental with { Services = [] });
        Assert.Equal(atOnce.Services, incremental.Services);
        Assert.True(builder.HasService("payments"));
        Assert.False(builder.HasService("ledger"));
        Assert.Equal(SpanFactory.At(20), builder.LatestSpanStartUnixNano);
    }
}
