using System.Diagnostics;
using Threadline.Sdk.Propagation;

namespace Threadline.Sdk.Tests.Propagation;

/// <summary>The contract every <see cref="TextMapPropagator"/> meets, run against each one.</summary>
public abstract class TextMapPropagatorConformanceTests
{
    protected static readonly ActivityContext SampledSpan = new(
        ActivityTraceId.CreateFromString("4bf92f3577b34da6a3ce929d0e0e4736"),
        ActivitySpanId.CreateFromString("00f067aa0ba902b7"),
        ActivityTraceFlags.Recorded,
        traceState: null,
        isRemote: false);

    protected static readonly Baggage SomeBaggage = new([new BaggageEntry("userId", "alice"), new BaggageEntry("serverNode", "DF 28")]);

    protected abstract TextMapPropagator CreatePropagator();

    /// <summary>Whether the propagator carries span contexts (else only baggage, or nothing).</summary>
    protected abstract bool CarriesTraceContext { get; }

    protected abstract bool CarriesBaggage { get; }

    [Fact]
    public void Extract_from_an_empty_carrier_returns_the_context_unchanged()
    {
        var before = new PropagationContext(SampledSpan, SomeBaggage);

        var after = new HeaderCarrier().ExtractWith(CreatePropagator(), before);

        Assert.Equal(before, after);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("-")]
    [InlineData(",,,")]
    [InlineData("===;;;")]
    [InlineData("\u00e9\u0000\uffff")]
    [InlineData("00-zz-zz-zz")]
    public void Extract_ignores_garbage_in_every_field(string garbage)
    {
        var propagator = CreatePropagator();
        var carrier = new HeaderCarrier();
        foreach (var field in KnownFields(propagator)) carrier.Add(field, garbage);
        var before = new PropagationContext(SampledSpan, SomeBaggage);

        var after = carrier.ExtractWith(propagator, before);

        Assert.Equal(before, after);
    }

    [Fact]
    public void Inject_writes_only_fields_it_lists_in_Fields()
    {
        var propagator = CreatePropagator();
        PropagationContext[] contexts =
        [
            new(SampledSpan, SomeBaggage),
            new(SampledSpan, SomeBaggage) { IsDebug = true },
        ];

        foreach (var context in contexts)
        {
            foreach (var (name, _) in HeaderCarrier.InjectWith(propagator, context).Fields)
            {
                Assert.Contains(name, propagator.Fields, StringComparer.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public void Inject_of_an_empty_context_writes_nothing()
    {
        var carrier = HeaderCarrier.InjectWith(CreatePropagator(), default);

        Assert.Equal(0, carrier.Count);
    }

    [Fact]
    public void Inject_then_extract_round_trips_what_the_format_carries()
    {
        var propagator = CreatePropagator();
        var sent = new PropagationContext(SampledSpan, SomeBaggage);

        var received = HeaderCarrier.InjectWith(propagator, sent).ExtractWith(propagator);

        if (CarriesTraceContext)
        {
            Assert.Equal(SampledSpan.TraceId, received.ActivityContext.TraceId);
            Assert.Equal(SampledSpan.SpanId, received.ActivityContext.SpanId);
            Assert.Equal(ActivityTraceFlags.Recorded, received.ActivityContext.TraceFlags);
            Assert.True(received.ActivityContext.IsRemote);
        }
        else
        {
            Assert.False(received.HasTraceContext);
        }

        if (CarriesBaggage) Assert.Equal(SomeBaggage, received.Baggage);
        else Assert.True(received.Baggage.IsEmpty);
    }

    [Fact]
    public void Inject_then_extract_keeps_the_unsampled_flag()
    {
        var propagator = CreatePropagator();
        var unsampled = new ActivityContext(SampledSpan.TraceId, SampledSpan.SpanId, ActivityTraceFlags.None);

        var received = HeaderCarrier.InjectWith(propagator, new PropagationContext(unsampled)).ExtractWith(propagator);

        Assert.Equal(ActivityTraceFlags.None, received.ActivityContext.TraceFlags);
    }

    private static IEnumerable<string> KnownFields(TextMapPropagator propagator) =>
        [.. propagator.Fields, B3Propagator.SingleHeaderField, B3Propagator.TraceIdField, B3Propagator.SpanIdField,
            B3Propagator.SampledField, B3Propagator.FlagsField, B3Propagator.ParentSpanIdField];
}

public sealed class TraceContextPropagatorConformanceTests : TextMapPropagatorConformanceTests
{
    protected override TextMapPropagator CreatePropagator() => new TraceContextPropagator();
    protected override bool CarriesTraceContext => true;
    protected override bool CarriesBaggage => false;
}

public sealed class BaggagePropagatorConformanceTests : TextMapPropagatorConformanceTests
{
    protected override TextMapPropagator CreatePropagator() => new BaggagePropagator();
    protected override bool CarriesTraceContext => false;
    protected override bool CarriesBaggage => true;
}

public sealed class B3SingleHeaderConformanceTests : TextMapPropagatorConformanceTests
{
    protected override TextMapPropagator CreatePropagator() => new B3Propagator(B3Encoding.SingleHeader);
    protected override bool CarriesTraceContext => true;
    protected override bool CarriesBaggage => false;
}

public sealed class B3MultipleHeadersConformanceTests : TextMapPropagatorConformanceTests
{
    protected override TextMapPropagator CreatePropagator() => new B3Propagator(B3Encoding.MultipleHeaders);
    protected override bool CarriesTraceContext => true;
    protected override bool CarriesBaggage => false;
}

public sealed class CompositePropagatorConformanceTests : TextMapPropagatorConformanceTests
{
    protected override TextMapPropagator CreatePropagator() =>
        new CompositePropagator(new TraceContextPropagator(), new B3Propagator(B3Encoding.MultipleHeaders), new BaggagePropagator());
    protected override bool CarriesTraceContext => true;
    protected override bool CarriesBaggage => true;
}

public sealed class NoOpPropagatorConformanceTests : TextMapPropagatorConformanceTests
{
    protected override TextMapPropagator CreatePropagator() => NoOpPropagator.Instance;
    protected override bool CarriesTraceContext => false;
    protected override bool CarriesBaggage => false;
}
