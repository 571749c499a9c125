using Threadline.Core.Analysis;
using Threadline.Core.Model;

namespace Threadline.Core.Tests.Analysis;

public sealed class ClockSkewTests
{
    [Fact]
    public void A_server_starting_after_its_client_ended_moves_with_its_whole_host_by_the_smallest_shift()
    {
        var trace = new TestTrace()
            .Add(1, 0, "checkout", "POST /checkout", 0, 100, SpanKind.Server, host: "web-1")
            .Add(2, 1, "checkout", "POST /pay", 10, 50, SpanKind.Client, host: "web-1")
            .Add(3, 2, "payments", "POST /pay", 60, 80, SpanKind.Server, host: "pay-1")
            .Add(4, 3, "payments", "INSERT payment", 65, 75, SpanKind.Client, host: "pay-1");
        var tree = TraceTree.Build(trace.Spans);

        var skew = ClockSkew.Adjust(tree);

        Assert.Equal(-(long)TestTrace.Ms(30), skew.ShiftOf(2));
        Assert.Equal(TestTrace.At(30), skew.StartOf(2));
        Assert.Equal(TestTrace.At(50), skew.EndOf(2));
        Assert.Equal(TestTrace.At(35), skew.StartOf(3));
        Assert.Equal(0, skew.ShiftOf(0));
        Assert.Equal([3UL, 4UL], skew.Adjustments.Select(a => a.SpanId.Value));
        var adjustment = skew.Adjustments[0];
        Assert.Equal(("payments", "pay-1"), (adjustment.Service, adjustment.Host));
        Assert.Equal("Shifted 30 ms earlier: the span started after its parent ended; clocks of host pay-1 and host web-1 differ.", adjustment.Message);
        Assert.Equal(TestTrace.At(60), trace.Spans[2].StartTimeUnixNano); // the raw span is untouched
    }

    [Fact]
    public void A_server_starting_before_its_client_moves_later()
    {
        var trace = new TestTrace()
            .Add(1, 0, "web", "call", 100, 200, SpanKind.Client, host: "a")
            .Add(2, 1, "api", "serve", 90, 150, SpanKind.Server, host: "b");

        var skew = ClockSkew.Adjust(TraceTree.Build(trace.Spans));

        Assert.Equal((long)TestTrace.Ms(10), skew.ShiftOf(1));
        Assert.Contains("started before its parent", skew.Adjustments[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_longer_than_its_client_is_centred_on_it()
    {
        var trace = new TestTrace()
            .Add(1, 0, "web", "call", 100, 120, SpanKind.Client, host: "a")
            .Add(2, 1, "api", "serve", 300, 340, SpanKind.Server, host: "b");

        var skew = ClockSkew.Adjust(TraceTree.Build(trace.Spans));

        // Centre 320 moved onto centre 110.
        Assert.Equal(TestTrace.At(90), skew.StartOf(1));
        Assert.Equal(TestTrace.At(130), skew.EndOf(1));
    }

    [Fact]
    public void A_host_keeps_the_shift_of_the_first_call_into_it_so_its_spans_stay_consistent()
    {
        var trace = new TestTrace()
            .Add(1, 0, "web", "GET /", 0, 300, SpanKind.Server, host: "a")
            .Add(2, 1, "web", "first call", 10, 50, SpanKind.Client, host: "a")
            .Add(3, 2, "api", "first", 70, 80, SpanKind.Server, host: "b")
            .Add(4, 1, "web", "second call", 100, 200, SpanKind.Client, host: "a")
            .Add(5, 4, "api", "second", 260, 290, SpanKind.Server, host: "b");

        var skew = ClockSkew.Adjust(TraceTree.Build(trace.Spans));

        Assert.Equal(-(long)TestTrace.Ms(30), skew.ShiftOf(2));
        Assert.Equal(skew.ShiftOf(2), skew.ShiftOf(4));
        Assert.Single(skew.Hosts);
    }

    [Fact]
    public void A_consumer_after_its_producer_is_asynchronous_and_not_shifted_but_one_before_it_is()
    {
        var late = new TestTrace()
            .Add(1, 0, "web", "publish", 0, 5, SpanKind.Producer, host: "a")
            .Add(2, 1, "worker", "process", 500, 600, SpanKind.Consumer, host: "b");
        var early = new TestTrace()
            .Add(1, 0, "web", "publish", 100, 105, SpanKind.Producer, host: "a")
            .Add(2, 1, "worker", "process", 40, 60, SpanKind.Consumer, host: "b");

        Assert.Empty(ClockSkew.Adjust(TraceTree.Build(late.Spans)).Adjustments);
        var skew = ClockSkew.Adjust(TraceTree.Build(early.Spans));
        Assert.Equal((long)TestTrace.Ms(60), skew.ShiftOf(1));
    }

    [Fact]
    public void Spans_of_one_host_are_never_shifted_against_each_other()
    {
        var trace = new TestTrace()
            .Add(1, 0, "web", "call", 0, 10, SpanKind.Client, host: "a")
            .Add(2, 1, "api", "serve", 50, 60, SpanKind.Server, host: "a");

        var skew = ClockSkew.Adjust(TraceTree.Build(trace.Spans));

        Assert.Empty(skew.Adjustments);
        Assert.Empty(skew.Hosts);
    }

    [Fact]
    public void The_host_is_host_name_else_service_instance_else_service()
    {
        Assert.Equal("h", SpanHost.Of(new Resource([new KeyValue("service.instance.id", "i"), new KeyValue("host.name", "h"), new KeyValue("service.name", "s")])));
        Assert.Equal("i", SpanHost.Of(new Resource([new KeyValue("service.instance.id", "i"), new KeyValue("service.name", "s")])));
        Assert.Equal("s", SpanHost.Of(new Resource([new KeyValue("service.name", "s")])));
    }
}
