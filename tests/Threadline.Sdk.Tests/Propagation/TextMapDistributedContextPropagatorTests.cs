using System.Diagnostics;
using Threadline.Sdk.Propagation;

namespace Threadline.Sdk.Tests.Propagation;

/// <summary>
/// The adapter driven the way HttpClient and ASP.NET Core drive a
/// <see cref="DistributedContextPropagator"/>, without installing it process-wide.
/// </summary>
public sealed class TextMapDistributedContextPropagatorTests
{
    private static readonly DistributedContextPropagator.PropagatorGetterCallback Getter =
        static (object? carrier, string name, out string? value, out IEnumerable<string>? values) =>
        {
            // As ASP.NET Core does: repeated headers arrive joined into one string.
            var fieldValues = ((HeaderCarrier)carrier!).Values(name);
            value = fieldValues.Combined();
            values = null;
        };

    private static readonly DistributedContextPropagator.PropagatorSetterCallback Setter =
        static (carrier, name, value) => ((HeaderCarrier)carrier!).Add(name, value);

    private static TextMapDistributedContextPropagator Adapter(params string[] names) => new(TextMapPropagators.Create(names));

    [Fact]
    public void Adapter_injects_the_activity_context_tracestate_and_baggage()
    {
        using var activity = new Activity("client");
        activity.SetIdFormat(ActivityIdFormat.W3C);
        activity.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        activity.TraceStateString = "congo=t61rcWkgMzE";
        activity.AddBaggage("userId", "alice");
        activity.Start();
        var carrier = new HeaderCarrier();

        Adapter("tracecontext", "baggage").Inject(activity, carrier, Setter);

        Assert.Equal(activity.Id, carrier.Single("traceparent"));
        Assert.Equal("congo=t61rcWkgMzE", carrier.Single("tracestate"));
        Assert.Equal("userId=alice", carrier.Single("baggage"));
    }

    [Fact]
    public void Adapter_injects_nothing_for_a_null_activity()
    {
        var carrier = new HeaderCarrier();

        Adapter("tracecontext", "baggage").Inject(null, carrier, Setter);

        Assert.Equal(0, carrier.Count);
    }

    [Fact]
    public void Adapter_extracts_a_traceparent_with_its_tracestate()
    {
        var carrier = HeaderCarrier.Of(
            ("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"), ("tracestate", "congo=1"), ("tracestate", "rojo=2"));

        Adapter("tracecontext").ExtractTraceIdAndState(carrier, Getter, out var traceId, out var traceState);

        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", traceId);
        Assert.Equal("congo=1,rojo=2", traceState);
    }

    [Fact]
    public void Adapter_returns_b3_as_a_w3c_traceparent_because_aspnetcore_parses_it_as_one()
    {
        var carrier = HeaderCarrier.Of(("b3", "64fe8b2a57d3eff7-e457b5a2e4d86bd1-d"));

        Adapter("b3").ExtractTraceIdAndState(carrier, Getter, out var traceId, out var traceState);

        Assert.Equal("00-000000000000000064fe8b2a57d3eff7-e457b5a2e4d86bd1-01", traceId);
        Assert.Null(traceState);
        Assert.True(ActivityContext.TryParse(traceId, traceState, isRemote: true, out _));
    }

    [Fact]
    public void Adapter_returns_no_trace_id_when_nothing_valid_arrived()
    {
        var carrier = HeaderCarrier.Of(("traceparent", "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"), ("tracestate", "congo=1"));

        Adapter("tracecontext", "b3").ExtractTraceIdAndState(carrier, Getter, out var traceId, out var traceState);

        Assert.Null(traceId);
        Assert.Null(traceState);
    }

    [Fact]
    public void Adapter_reads_repeated_fields_handed_over_as_a_list()
    {
        DistributedContextPropagator.PropagatorGetterCallback listGetter =
            static (object? carrier, string name, out string? value, out IEnumerable<string>? values) =>
            {
                value = null;
                values = name == "tracestate" ? ["congo=1", "rojo=2"]
                    : name == "traceparent" ? ["00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"]
                    : null;
            };

        Adapter("tracecontext").ExtractTraceIdAndState(null, listGetter, out var traceId, out var traceState);

        Assert.NotNull(traceId);
        Assert.Equal("congo=1,rojo=2", traceState);
    }

    [Fact]
    public void Adapter_returns_baggage_reversed_so_that_AddBaggage_restores_the_sent_order()
    {
        var carrier = HeaderCarrier.Of(("baggage", "first=1,second=2,third=3"));
        using var activity = new Activity("server");

        // What ASP.NET Core does with the result.
        foreach (var (key, value) in Adapter("baggage").ExtractBaggage(carrier, Getter)!)
        {
            activity.AddBaggage(key, value);
        }

        Assert.Equal(["first", "second", "third"], activity.Baggage.Select(b => b.Key));
    }

    [Fact]
    public void Adapter_returns_no_baggage_when_none_arrived() =>
        Assert.Null(Adapter("tracecontext", "baggage").ExtractBaggage(new HeaderCarrier(), Getter));

    [Fact]
    public void Adapter_reads_only_trace_fields_for_the_trace_id_and_only_baggage_fields_for_baggage()
    {
        var asked = new List<string>();
        DistributedContextPropagator.PropagatorGetterCallback recordingGetter =
            (object? carrier, string name, out string? value, out IEnumerable<string>? values) =>
            {
                asked.Add(name);
                value = null;
                values = null;
            };
        var adapter = Adapter("tracecontext", "baggage");

        adapter.ExtractTraceIdAndState(null, recordingGetter, out _, out _);
        Assert.Equal(["traceparent"], asked);

        asked.Clear();
        adapter.ExtractBaggage(null, recordingGetter);
        Assert.Equal(["baggage"], asked);
    }

    [Fact]
    public void Adapter_passes_a_well_formed_traceparent_through_without_copying()
    {
        var traceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        Adapter("tracecontext").ExtractTraceIdAndState(HeaderCarrier.Of(("traceparent", traceParent)), Getter, out var traceId, out _);

        Assert.Same(traceParent, traceId);
    }

    [Fact]
    public void Adapter_downgrades_a_future_version_to_00_and_clears_unknown_flags()
    {
        var carrier = HeaderCarrier.Of(("traceparent", " cc-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-ff-future "));

        Adapter("tracecontext").ExtractTraceIdAndState(carrier, Getter, out var traceId, out _);

        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", traceId);
    }

    public static TheoryData<string, string[]> CarrierCases()
    {
        string[] traceParents =
        [
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00",
            " 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-03\t",
            "cc-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-x",
            "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            "00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01",
            "00-00000000000000000000000000000000-b7ad6b7169203331-01",
        ];
        string[] b3s = ["", "0af7651916cd43dd8448eb211c80319c-e457b5a2e4d86bd1-1", "64fe8b2a57d3eff7-e457b5a2e4d86bd1", "d", "bad"];
        string[] configurations = ["tracecontext", "b3", "tracecontext,b3", "b3,tracecontext", "tracecontext,baggage,b3multi", "none"];

        var data = new TheoryData<string, string[]>();
        foreach (var configuration in configurations)
        {
            foreach (var traceParent in traceParents)
            {
                foreach (var b3 in b3s)
                {
                    data.Add(configuration, ["traceparent", traceParent, "tracestate", " rojo=1 ,congo=2", "b3", b3]);
                }
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CarrierCases))]
    public void Adapter_trace_id_and_state_agree_with_Extract(string configuration, string[] fields)
    {
        var carrier = new HeaderCarrier();
        for (var i = 0; i < fields.Length; i += 2)
        {
            if (fields[i + 1].Length > 0) carrier.Add(fields[i], fields[i + 1]);
        }
        var propagator = TextMapPropagators.Create(configuration.Split(','));

        new TextMapDistributedContextPropagator(propagator).ExtractTraceIdAndState(carrier, Getter, out var traceId, out var traceState);
        var expected = carrier.ExtractWith(propagator).ActivityContext;

        if (expected.TraceId == default)
        {
            Assert.Null(traceId);
            Assert.Null(traceState);
            return;
        }
        Assert.True(ActivityContext.TryParse(traceId, traceState, isRemote: true, out var actual));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Adapter_extracts_with_a_propagator_written_outside_the_sdk()
    {
        var adapter = new TextMapDistributedContextPropagator(new CompositePropagator(new TraceContextPropagator(), new RequestIdPropagator()));
        var carrier = HeaderCarrier.Of(
            ("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"), ("tracestate", "rojo=1"), ("x-request-span", "e457b5a2e4d86bd1"));

        adapter.ExtractTraceIdAndState(carrier, Getter, out var traceId, out var traceState);

        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-e457b5a2e4d86bd1-01", traceId);
        Assert.Equal("rojo=1", traceState);
    }

    /// <summary>A made-up format: replaces the parent span id of the context found so far.</summary>
    private sealed class RequestIdPropagator : TextMapPropagator
    {
        public override IReadOnlyCollection<string> Fields { get; } = ["x-request-span"];

        public override void Inject<TCarrier>(in PropagationContext context, TCarrier carrier, CarrierSetter<TCarrier> setter) =>
            setter(carrier, "x-request-span", context.ActivityContext.SpanId.ToHexString());

        public override PropagationContext Extract<TCarrier>(in PropagationContext context, TCarrier carrier, CarrierGetter<TCarrier> getter)
        {
            if (getter(carrier, "x-request-span").First is not { } spanId || !context.HasTraceContext) return context;
            var found = context.ActivityContext;
            return context with
            {
                ActivityContext = new ActivityContext(found.TraceId, ActivitySpanId.CreateFromString(spanId), found.TraceFlags, found.TraceState, isRemote: true),
            };
        }
    }

    [Fact]
    public void Adapter_fields_are_the_propagator_fields() =>
        Assert.Equal(["traceparent", "tracestate", "baggage", "b3"], Adapter("tracecontext", "baggage", "b3").Fields);
}
