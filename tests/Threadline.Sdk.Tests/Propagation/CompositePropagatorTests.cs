using System.Diagnostics;
using Threadline.Sdk.Propagation;

namespace Threadline.Sdk.Tests.Propagation;

public sealed class CompositePropagatorTests
{
    private const string W3CTraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private const string B3Single = "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-0";

    [Fact]
    public void Composite_injects_with_every_propagator_in_order()
    {
        var composite = new CompositePropagator(new B3Propagator(), new TraceContextPropagator(), new BaggagePropagator());
        var context = new PropagationContext(
            new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, "rojo=1"),
            new Baggage([new BaggageEntry("k", "v")]));

        var carrier = HeaderCarrier.InjectWith(composite, context);

        Assert.Equal(["b3", "traceparent", "tracestate", "baggage"], carrier.Fields.Select(f => f.Key));
    }

    [Fact]
    public void Composite_extract_passes_the_context_along_so_a_later_span_context_wins()
    {
        var carrier = HeaderCarrier.Of(("traceparent", W3CTraceParent), ("b3", B3Single));

        var w3cThenB3 = carrier.ExtractWith(new CompositePropagator(new TraceContextPropagator(), new B3Propagator()));
        var b3ThenW3C = carrier.ExtractWith(new CompositePropagator(new B3Propagator(), new TraceContextPropagator()));

        Assert.Equal("e457b5a2e4d86bd1", w3cThenB3.ActivityContext.SpanId.ToHexString());
        Assert.Equal("00f067aa0ba902b7", b3ThenW3C.ActivityContext.SpanId.ToHexString());
    }

    [Fact]
    public void Composite_extract_keeps_an_earlier_result_when_a_later_propagator_finds_nothing()
    {
        var composite = new CompositePropagator(new TraceContextPropagator(), new B3Propagator(), new BaggagePropagator());

        var context = HeaderCarrier.Of(("traceparent", W3CTraceParent), ("baggage", "k=v")).ExtractWith(composite);

        Assert.Equal("00f067aa0ba902b7", context.ActivityContext.SpanId.ToHexString());
        Assert.Equal("v", context.Baggage.GetValue("k"));
    }

    [Fact]
    public void Composite_extract_keeps_an_earlier_result_when_a_later_propagator_finds_garbage()
    {
        var composite = new CompositePropagator(new TraceContextPropagator(), new B3Propagator());

        var context = HeaderCarrier.Of(("traceparent", W3CTraceParent), ("b3", "not-b3")).ExtractWith(composite);

        Assert.Equal("00f067aa0ba902b7", context.ActivityContext.SpanId.ToHexString());
    }

    [Fact]
    public void Composite_fields_are_the_union_without_repeats_in_order()
    {
        var composite = new CompositePropagator(
            new TraceContextPropagator(), new BaggagePropagator(), new TraceContextPropagator(), new B3Propagator(B3Encoding.MultipleHeaders));

        Assert.Equal(["traceparent", "tracestate", "baggage", "X-B3-TraceId", "X-B3-SpanId", "X-B3-Sampled", "X-B3-Flags"], composite.Fields);
    }

    [Fact]
    public void Composite_of_composites_runs_the_nested_propagators_in_order()
    {
        var composite = new CompositePropagator(new CompositePropagator(new TraceContextPropagator()), new CompositePropagator(new BaggagePropagator()));

        var context = HeaderCarrier.Of(("traceparent", W3CTraceParent), ("baggage", "k=v")).ExtractWith(composite);

        Assert.True(context.HasTraceContext);
        Assert.Equal("v", context.Baggage.GetValue("k"));
    }

    [Fact]
    public void Composite_rejects_a_null_member() =>
        Assert.Throws<ArgumentException>(() => new CompositePropagator(new TraceContextPropagator(), null!));

    [Fact]
    public void NoOp_injects_nothing_and_extracts_nothing()
    {
        var context = new PropagationContext(
            new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded),
            new Baggage([new BaggageEntry("k", "v")]));

        Assert.Equal(0, HeaderCarrier.InjectWith(NoOpPropagator.Instance, context).Count);
        Assert.Equal(default, HeaderCarrier.Of(("traceparent", W3CTraceParent), ("baggage", "k=v")).ExtractWith(NoOpPropagator.Instance));
        Assert.Empty(NoOpPropagator.Instance.Fields);
    }
}
