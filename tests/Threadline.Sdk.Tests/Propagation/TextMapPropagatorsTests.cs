using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Tracing;
using Threadline.Sdk.Propagation;

namespace Threadline.Sdk.Tests.Propagation;

public sealed class TextMapPropagatorsTests
{
    private static IReadOnlyList<TextMapPropagator> Members(TextMapPropagator propagator) =>
        Assert.IsType<CompositePropagator>(propagator).Propagators;

    [Fact]
    public void Create_builds_the_named_propagators_in_order()
    {
        var members = Members(TextMapPropagators.Create("baggage", "b3", "tracecontext"));

        Assert.Collection(members,
            m => Assert.IsType<BaggagePropagator>(m),
            m => Assert.IsType<B3Propagator>(m),
            m => Assert.IsType<TraceContextPropagator>(m));
    }

    [Fact]
    public void Create_maps_b3_to_the_single_header_and_b3multi_to_multiple_headers()
    {
        var members = Members(TextMapPropagators.Create("b3", "b3multi"));

        Assert.Equal(B3Encoding.SingleHeader, Assert.IsType<B3Propagator>(members[0]).InjectEncoding);
        Assert.Equal(B3Encoding.MultipleHeaders, Assert.IsType<B3Propagator>(members[1]).InjectEncoding);
    }

    [Fact]
    public void Create_counts_a_repeated_name_once() =>
        Assert.Single(Members(TextMapPropagators.Create("tracecontext", "TraceContext", " tracecontext ")));

    [Fact]
    public void Create_trims_names_compares_them_case_insensitively_and_skips_blanks() =>
        Assert.Equal(2, Members(TextMapPropagators.Create(" TRACECONTEXT", "", "  ", "Baggage ")).Count);

    [Theory]
    [InlineData("none")]
    [InlineData("tracecontext", "none")]
    [InlineData("NONE", "b3")]
    public void Create_with_none_propagates_nothing_even_beside_other_names(params string[] names) =>
        Assert.Same(NoOpPropagator.Instance, TextMapPropagators.Create(names));

    [Fact]
    public void Create_without_a_usable_name_propagates_nothing() =>
        Assert.Same(NoOpPropagator.Instance, TextMapPropagators.Create("jaeger"));

    [Fact]
    public void Create_ignores_an_unknown_name_and_reports_it()
    {
        using var events = new PropagationEvents();

        var members = Members(TextMapPropagators.Create("tracecontext", "xray-unknown-7f3a"));

        Assert.IsType<TraceContextPropagator>(Assert.Single(members));
        Assert.Contains(events.Written, e => e.Level == EventLevel.Warning && e.Payload is [ "xray-unknown-7f3a" ]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void FromEnvironment_defaults_to_tracecontext_and_baggage(string? value)
    {
        var members = Members(TextMapPropagators.FromEnvironment(name => name == "OTEL_PROPAGATORS" ? value : null));

        Assert.Collection(members, m => Assert.IsType<TraceContextPropagator>(m), m => Assert.IsType<BaggagePropagator>(m));
    }

    [Fact]
    public void FromEnvironment_reads_OTEL_PROPAGATORS()
    {
        var members = Members(TextMapPropagators.FromEnvironment(name => name == "OTEL_PROPAGATORS" ? "b3multi, baggage" : null));

        Assert.Equal(B3Encoding.MultipleHeaders, Assert.IsType<B3Propagator>(members[0]).InjectEncoding);
        Assert.IsType<BaggagePropagator>(members[1]);
    }

    [Fact]
    public void FromEnvironment_none_propagates_nothing() =>
        Assert.Same(NoOpPropagator.Instance, TextMapPropagators.FromEnvironment(_ => "none"));

    private sealed class PropagationEvents : EventListener
    {
        private readonly ConcurrentQueue<EventWrittenEventArgs> _written = new();

        public IEnumerable<EventWrittenEventArgs> Written => _written;

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Threadline-Sdk-Propagation") EnableEvents(eventSource, EventLevel.Verbose);
        }

        // Called from the base constructor before fields are set, hence the null check.
        protected override void OnEventWritten(EventWrittenEventArgs eventData) => _written?.Enqueue(eventData);
    }
}

/// <summary>Installing, and the hand-written propagation that follows what is installed.</summary>
[Collection(GlobalPropagatorCollection.Name)]
public sealed class TextMapPropagatorsInstallTests : GlobalPropagatorTest
{
    [Fact]
    public void Install_sets_DistributedContextPropagator_Current_and_returns_the_previous_one()
    {
        var before = DistributedContextPropagator.Current;
        var propagator = TextMapPropagators.Create("b3");

        var previous = TextMapPropagators.Install(propagator);

        Assert.Same(before, previous);
        Assert.Same(propagator, Assert.IsType<TextMapDistributedContextPropagator>(DistributedContextPropagator.Current).Propagator);
        Assert.Same(propagator, TextMapPropagators.Current);
    }

    [Fact]
    public void Current_is_the_default_when_another_propagator_is_installed()
    {
        DistributedContextPropagator.Current = DistributedContextPropagator.CreateNoOutputPropagator();

        Assert.Same(TextMapPropagators.Default, TextMapPropagators.Current);
    }

    [Fact]
    public void Manual_propagation_carries_context_through_message_headers_to_a_linked_consumer_span()
    {
        TextMapPropagators.Install(TextMapPropagators.Create("tracecontext", "baggage"));
        using var source = new ActivitySource("Threadline.Tests.Propagation.Messaging");
        using var listener = new TestActivities(source.Name);
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);

        ActivityContext sent;
        using (var producer = source.StartActivity("orders publish", ActivityKind.Producer)!)
        {
            producer.TraceStateString = "congo=1";
            producer.AddBaggage("tenant", "acme");
            sent = producer.Context;
            TextMapPropagators.Inject(producer, headers, static (h, name, value) => h[name] = value);
        }

        var received = TextMapPropagators.Extract(headers, static (h, name) => h.TryGetValue(name, out var value) ? value : default);
        using var consumer = source.StartActivity("orders process", ActivityKind.Consumer, parentContext: default,
            links: [new ActivityLink(received.ActivityContext)])!;
        received.Baggage.ApplyTo(consumer);

        var link = Assert.Single(consumer.Links).Context;
        Assert.Equal(sent.TraceId, link.TraceId);
        Assert.Equal(sent.SpanId, link.SpanId);
        Assert.Equal("congo=1", link.TraceState);
        Assert.True(link.IsRemote);
        Assert.NotEqual(sent.TraceId, consumer.TraceId);
        Assert.Equal("acme", consumer.GetBaggageItem("tenant"));
    }

    [Fact]
    public void Manual_propagation_of_a_context_keeps_the_b3_debug_flag()
    {
        TextMapPropagators.Install(TextMapPropagators.Create("b3"));
        var incoming = new Dictionary<string, string> { ["b3"] = "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-d" };
        var outgoing = new Dictionary<string, string>();

        var context = TextMapPropagators.Extract(incoming, static (h, name) => h.TryGetValue(name, out var value) ? value : default);
        TextMapPropagators.Inject(context, outgoing, static (h, name, value) => h[name] = value);

        Assert.Equal(incoming["b3"], outgoing["b3"]);
    }
}
