using Threadline.Core.Model;
using Threadline.Query.TraceQL;

namespace Threadline.Query.Tests.TraceQL;

/// <summary>A TraceQL search asked of one trace in memory, as the tail sampler's <c>traceql</c> policy asks it.</summary>
public sealed class TraceQLTraceConditionTests
{
    private static readonly Resource Checkout = new([new("service.name", "checkout")]);
    private static readonly Resource Payments = new([new("service.name", "payments")]);

    private static Span[] Trace(StatusCode paymentsStatus)
    {
        var traceId = new TraceId(7, 7);
        var root = new Span { TraceId = traceId, SpanId = new SpanId(1), Name = "POST /checkout", Resource = Checkout, StartTimeUnixNano = 1, EndTimeUnixNano = 100 };
        var child = new Span
        {
            TraceId = traceId, SpanId = new SpanId(2), ParentSpanId = root.SpanId, Name = "charge", Resource = Payments,
            StartTimeUnixNano = 10, EndTimeUnixNano = 50, Status = new SpanStatus(paymentsStatus, ""),
        };
        return [root, child];
    }

    [Fact]
    public void A_structural_query_matches_the_trace_it_describes_only()
    {
        var condition = TraceQLTraceCondition.Compile("{ resource.service.name = \"checkout\" } >> { status = error && resource.service.name = \"payments\" }");

        Assert.True(condition.Matches(Trace(StatusCode.Error)));
        Assert.False(condition.Matches(Trace(StatusCode.Ok)));
        Assert.False(condition.Matches([]));
    }

    [Fact]
    public void A_bad_or_metrics_query_is_refused_with_its_position()
    {
        var syntax = Assert.Throws<TraceQLSyntaxException>(() => TraceQLTraceCondition.Compile("{ status = }"));
        Assert.Equal(1, syntax.Line);

        var metrics = Assert.Throws<TraceQLSyntaxException>(() => TraceQLTraceCondition.Compile("{ } | rate()"));
        Assert.Contains("metrics query", metrics.Message);
    }
}
