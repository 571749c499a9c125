using Threadline.Core.Model;
using Threadline.Pipeline.Sampling.Policies;
using Threadline.Pipeline.Sampling.Policies.Combining;
using Threadline.Pipeline.Sampling.Policies.Conditions;
using Threadline.Pipeline.Sampling.Policies.Throughput;

namespace Threadline.Pipeline.Tests.Sampling;

public sealed class PolicyTests
{
    private readonly Traces _traces = new();

    private PolicyDecision Decide(ISamplingPolicy policy, params Span[] spans) => policy.Evaluate(Traces.Sampled(spans)).Decision;

    [Fact]
    public void Always_sample_keeps_every_trace()
    {
        Assert.Equal(PolicyDecision.Sampled, Decide(new AlwaysSamplePolicy("all"), _traces.Trace()));
    }

    [Fact]
    public void Latency_keeps_traces_from_earliest_start_to_latest_end_within_the_thresholds()
    {
        var policy = new LatencyPolicy("slow", TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500));
        var id = _traces.NewTraceId();
        // The root lasts 50 ms but a child ends at 150 ms: the trace lasts 150 ms.
        var spans = new[] { _traces.Span(id, root: true, durationMs: 50), _traces.Span(id, startMs: 100, durationMs: 50) };

        Assert.Equal(PolicyDecision.Sampled, Decide(policy, spans));
        Assert.Equal(PolicyDecision.NotSampled, Decide(policy, _traces.Span(id, root: true, durationMs: 99)));
        Assert.Equal(PolicyDecision.NotSampled, Decide(policy, _traces.Span(id, root: true, durationMs: 501)));
        Assert.Equal(PolicyDecision.Sampled, Decide(new LatencyPolicy("slow", TimeSpan.FromMilliseconds(100), null), _traces.Span(id, root: true, durationMs: 90_000)));
    }

    [Fact]
    public void Numeric_attribute_matches_span_or_resource_values_in_range_and_inverts()
    {
        var id = _traces.NewTraceId();
        var inRange = _traces.Span(id, attributes: new KeyValue("http.status_code", 503L));
        var outside = _traces.Span(id, attributes: new KeyValue("http.status_code", 200L));

        Assert.Equal(PolicyDecision.Sampled, Decide(new NumericAttributePolicy("5xx", "http.status_code", 500, 599, false), outside, inRange));
        Assert.Equal(PolicyDecision.NotSampled, Decide(new NumericAttributePolicy("5xx", "http.status_code", 500, 599, false), outside));
        Assert.Equal(PolicyDecision.Sampled, Decide(new NumericAttributePolicy("min only", "http.status_code", 500, null, false), inRange));
        Assert.Equal(PolicyDecision.InvertedNotSampled, Decide(new NumericAttributePolicy("not 5xx", "http.status_code", 500, 599, true), inRange));
        Assert.Equal(PolicyDecision.InvertedSampled, Decide(new NumericAttributePolicy("not 5xx", "http.status_code", 500, 599, true), outside));
    }

    [Fact]
    public void String_attribute_matches_exactly_or_by_regex_on_spans_and_resources_and_inverts()
    {
        var id = _traces.NewTraceId();
        var health = _traces.Span(id, attributes: new KeyValue("url.path", "/health/live"));
        var cart = _traces.Span(id, attributes: new KeyValue("url.path", "/cart"));

        Assert.Equal(PolicyDecision.Sampled, Decide(new StringAttributePolicy("exact", "url.path", ["/cart", "/checkout"], false, 10, false), cart));
        Assert.Equal(PolicyDecision.NotSampled, Decide(new StringAttributePolicy("exact", "url.path", ["/cart"], false, 10, false), health));
        Assert.Equal(PolicyDecision.Sampled, Decide(new StringAttributePolicy("regex", "url.path", ["^/health"], true, 10, false), health));
        Assert.Equal(PolicyDecision.NotSampled, Decide(new StringAttributePolicy("regex", "url.path", ["^/health"], true, 10, false), cart));
        Assert.Equal(PolicyDecision.InvertedNotSampled, Decide(new StringAttributePolicy("not health", "url.path", ["^/health"], true, 10, true), health));
        // Resource attributes count as the span's own.
        Assert.Equal(PolicyDecision.Sampled, Decide(new StringAttributePolicy("env", "deployment.environment", ["prod"], false, 10, false), cart));
    }

    [Fact]
    public void Boolean_attribute_matches_the_value_and_inverts()
    {
        var id = _traces.NewTraceId();
        var forced = _traces.Span(id, attributes: new KeyValue("app.force_sample", true));

        Assert.Equal(PolicyDecision.Sampled, Decide(new BooleanAttributePolicy("force", "app.force_sample", true, false), forced));
        Assert.Equal(PolicyDecision.NotSampled, Decide(new BooleanAttributePolicy("force", "app.force_sample", false, false), forced));
        Assert.Equal(PolicyDecision.InvertedNotSampled, Decide(new BooleanAttributePolicy("force", "app.force_sample", true, true), forced));
    }

    [Fact]
    public void Status_code_keeps_traces_with_a_span_of_a_listed_status()
    {
        var policy = new StatusCodePolicy("errors", new HashSet<StatusCode> { StatusCode.Error });
        var id = _traces.NewTraceId();

        Assert.Equal(PolicyDecision.Sampled, Decide(policy, _traces.Span(id, root: true), _traces.Span(id, status: StatusCode.Error)));
        Assert.Equal(PolicyDecision.NotSampled, Decide(policy, _traces.Span(id, root: true, status: StatusCode.Ok)));
    }

    [Fact]
    public void Probabilistic_keeps_the_percentage_consistently_by_trace_id_with_the_adjusted_count()
    {
        var policy = new ProbabilisticPolicy("ten", 10, null);
        var wider = new ProbabilisticPolicy("fifty", 50, null);
        var ids = Enumerable.Range(0, 20_000).Select(_ => _traces.NewTraceId()).ToList();

        var kept = ids.Where(id => Decide(policy, _traces.Span(id)) == PolicyDecision.Sampled).ToList();

        Assert.InRange(kept.Count, 1_800, 2_200);
        Assert.All(kept, id => Assert.Equal(PolicyDecision.Sampled, Decide(policy, _traces.Span(id))));
        // A trace kept at 10 % is kept at 50 % too, as the SDK's ratio sampler does.
        Assert.All(kept, id => Assert.Equal(PolicyDecision.Sampled, Decide(wider, _traces.Span(id))));
        Assert.Equal(10, policy.Evaluate(Traces.Sampled(_traces.Span(kept[0]))).AdjustedCount, 9);
    }

    [Fact]
    public void Probabilistic_agrees_with_the_sdk_ratio_rule_on_the_leading_eight_bytes()
    {
        var policy = new ProbabilisticPolicy("quarter", 25, null);
        // |leading 8 bytes as signed| below 0.25 × long.MaxValue is kept.
        var kept = new TraceId(0x1000_0000_0000_0000, 1);
        var keptNegative = new TraceId(unchecked((ulong)-0x1000_0000_0000_0000L), 1);
        var dropped = new TraceId(0x2100_0000_0000_0000, 1);

        Assert.Equal(PolicyDecision.Sampled, Decide(policy, _traces.Span(kept)));
        Assert.Equal(PolicyDecision.Sampled, Decide(policy, _traces.Span(keptNegative)));
        Assert.Equal(PolicyDecision.NotSampled, Decide(policy, _traces.Span(dropped)));
    }

    [Fact]
    public void Rate_limiting_keeps_traces_while_spans_fit_the_second_and_refills_with_time()
    {
        var clock = new ManualClock();
        var policy = new RateLimitingPolicy("rate", 10, clock);

        Assert.Equal(PolicyDecision.Sampled, Decide(policy, _traces.Trace(children: 5)));
        Assert.Equal(PolicyDecision.NotSampled, Decide(policy, _traces.Trace(children: 5)));
        Assert.Equal(PolicyDecision.Sampled, Decide(policy, _traces.Trace(children: 3)));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(PolicyDecision.Sampled, Decide(policy, _traces.Trace(children: 5)));
    }

    [Fact]
    public void Bytes_limiting_keeps_traces_within_the_burst_then_the_rate()
    {
        var clock = new ManualClock();
        var policy = new BytesLimitingPolicy("bytes", 1_000, 2_500, clock);
        SampledTrace Of(long bytes) => new(_traces.NewTraceId(), [_traces.Span(_traces.NewTraceId())], bytes);

        Assert.Equal(PolicyDecision.Sampled, policy.Evaluate(Of(2_000)).Decision);
        Assert.Equal(PolicyDecision.NotSampled, policy.Evaluate(Of(1_000)).Decision);
        clock.Advance(TimeSpan.FromMilliseconds(500));
        Assert.Equal(PolicyDecision.Sampled, policy.Evaluate(Of(1_000)).Decision);
    }

    [Fact]
    public void Span_count_keeps_traces_with_spans_in_range()
    {
        var policy = new SpanCountPolicy("count", 2, 3);

        Assert.Equal(PolicyDecision.NotSampled, Decide(policy, _traces.Trace(children: 0)));
        Assert.Equal(PolicyDecision.Sampled, Decide(policy, _traces.Trace(children: 2)));
        Assert.Equal(PolicyDecision.NotSampled, Decide(policy, _traces.Trace(children: 3)));
    }

    [Fact]
    public void Trace_state_matches_a_key_and_value_among_the_members()
    {
        var policy = new TraceStatePolicy("state", "tenant", new HashSet<string> { "gold" });
        var id = _traces.NewTraceId();

        Assert.Equal(PolicyDecision.Sampled, Decide(policy, _traces.Span(id, traceState: "rojo=00f067aa0ba902b7, tenant=gold")));
        Assert.Equal(PolicyDecision.NotSampled, Decide(policy, _traces.Span(id, traceState: "tenant=silver,gold=tenant")));
    }

    [Fact]
    public void Trace_flags_keeps_traces_with_a_head_sampled_span()
    {
        var policy = new TraceFlagsPolicy("flags");
        var id = _traces.NewTraceId();

        Assert.Equal(PolicyDecision.Sampled, Decide(policy, _traces.Span(id, flags: 0), _traces.Span(id, flags: 0x301)));
        Assert.Equal(PolicyDecision.NotSampled, Decide(policy, _traces.Span(id, flags: 0x300)));
    }

    [Fact]
    public void And_keeps_only_when_every_sub_policy_keeps()
    {
        var policy = new AndPolicy("and", [new StatusCodePolicy("errors", new HashSet<StatusCode> { StatusCode.Error }), new SpanCountPolicy("big", 3, null)]);

        Assert.Equal(PolicyDecision.Sampled, Decide(policy, _traces.Trace(children: 2, rootStatus: StatusCode.Error)));
        Assert.Equal(PolicyDecision.NotSampled, Decide(policy, _traces.Trace(children: 1, rootStatus: StatusCode.Error)));
        Assert.Equal(PolicyDecision.NotSampled, Decide(policy, _traces.Trace(children: 2)));
    }

    [Fact]
    public void Drop_vetoes_when_every_sub_policy_matches()
    {
        var policy = new DropPolicy("no health", [new StringAttributePolicy("health", "url.path", ["/health"], false, 10, false)]);

        Assert.Equal(PolicyDecision.Dropped, Decide(policy, _traces.Trace(children: 0, rootAttributes: new KeyValue("url.path", "/health"))));
        Assert.Equal(PolicyDecision.NotSampled, Decide(policy, _traces.Trace(children: 0, rootAttributes: new KeyValue("url.path", "/cart"))));
    }

    [Fact]
    public void Composite_allocates_the_spans_per_second_in_policy_order_and_the_rest_fills_what_is_left()
    {
        var clock = new ManualClock();
        var errors = new StatusCodePolicy("errors", new HashSet<StatusCode> { StatusCode.Error });
        var everything = new AlwaysSamplePolicy("everything");
        // 100 spans/s: errors get 50 %, the unallocated always_sample the other 50.
        var policy = new CompositePolicy("composite", [errors, everything], [50, null], 100, clock);
        Assert.Equal([50.0, 50.0], policy.Allocations);

        // Ten error traces of 10 spans: five fit the errors' 50 spans, the next five spill into the rest's 50.
        var kept = Enumerable.Range(0, 10).Count(_ => Decide(policy, _traces.Trace(children: 9, rootStatus: StatusCode.Error)) == PolicyDecision.Sampled);
        Assert.Equal(10, kept);
        // The second is full (100 spans): nothing more, error or not.
        Assert.Equal(PolicyDecision.NotSampled, Decide(policy, _traces.Trace(children: 0, rootStatus: StatusCode.Error)));

        clock.Advance(TimeSpan.FromSeconds(1));
        // A new second: plain traces get only their 50 spans.
        var plain = Enumerable.Range(0, 10).Count(_ => Decide(policy, _traces.Trace(children: 9)) == PolicyDecision.Sampled);
        Assert.Equal(5, plain);
        Assert.Equal(PolicyDecision.Sampled, Decide(policy, _traces.Trace(children: 9, rootStatus: StatusCode.Error)));
    }

    [Fact]
    public void Trace_condition_policy_keeps_what_the_compiled_condition_accepts()
    {
        var policy = new TraceConditionPolicy("traceql", spans => spans.Any(s => s.Status.Code == StatusCode.Error && s.ServiceName == "payments"));
        var id = _traces.NewTraceId();

        Assert.Equal(PolicyDecision.Sampled, Decide(policy, _traces.Span(id, root: true), _traces.Span(id, resource: Traces.Payments, status: StatusCode.Error)));
        Assert.Equal(PolicyDecision.NotSampled, Decide(policy, _traces.Span(id, root: true, status: StatusCode.Error)));
    }

    [Fact]
    public void Ottl_condition_compares_span_and_event_fields()
    {
        var policy = new OttlConditionPolicy("ottl",
            [OttlCondition.Parse("attributes[\"http.route\"] == \"/cart\" and kind == SPAN_KIND_SERVER"), OttlCondition.Parse("resource.attributes[\"service.name\"] == \"payments\" or status.code == STATUS_CODE_ERROR")],
            [OttlCondition.Parse("name == \"exception\"")]);
        var id = _traces.NewTraceId();

        Assert.Equal(PolicyDecision.Sampled, Decide(policy, _traces.Span(id, attributes: new KeyValue("http.route", "/cart"))));
        Assert.Equal(PolicyDecision.NotSampled, Decide(policy, _traces.Span(id, kind: SpanKind.Client, attributes: new KeyValue("http.route", "/cart"))));
        Assert.Equal(PolicyDecision.Sampled, Decide(policy, _traces.Span(id, resource: Traces.Payments)));
        Assert.Equal(PolicyDecision.Sampled, Decide(policy, _traces.Span(id, status: StatusCode.Error)));
        var withEvent = _traces.Span(id);
        withEvent = new Span { TraceId = id, SpanId = withEvent.SpanId, Name = "x", Resource = Traces.Frontend, Events = [new SpanEvent(1, "exception", [])] };
        Assert.Equal(PolicyDecision.Sampled, Decide(policy, withEvent));
        Assert.Equal(PolicyDecision.NotSampled, Decide(policy, _traces.Span(id)));
    }

    [Fact]
    public void Ottl_condition_outside_the_subset_is_refused_with_its_position()
    {
        var error = Assert.Throws<FormatException>(() => OttlCondition.Parse("IsMatch(attributes[\"x\"], \"a.*\")"));
        Assert.Contains("character 1", error.Message);
        Assert.Contains("expected a path", error.Message);
    }

    [Fact]
    public void Dynamic_sampling_keeps_rare_keys_at_rate_one_and_samples_frequent_keys_down_to_the_goal()
    {
        var clock = new ManualClock();
        // 10 traces/s over 10 s intervals: a budget of 100 traces per interval.
        var policy = new DynamicSamplingPolicy("dynamic", ["http.route"], 10, TimeSpan.FromSeconds(10), weight: 1, maxKeys: 100, clock);
        Span[] Route(string route) => _traces.Trace(children: 0, rootAttributes: new KeyValue("http.route", route));

        // First interval: 1,000 /cart traces, 20 /refund traces; all kept while no rates are known.
        for (var i = 0; i < 1_000; i++) Assert.Equal(PolicyDecision.Sampled, Decide(policy, Route("/cart")));
        for (var i = 0; i < 20; i++) Decide(policy, Route("/refund"));
        clock.Advance(TimeSpan.FromSeconds(10));

        // Second interval, same traffic: /refund (20, below an equal share of 50) keeps everything;
        // /cart gets the 80 left: rate 1000 / 80 = 12.5.
        var cartKept = 0;
        var refundKept = 0;
        double cartAdjusted = 0;
        for (var i = 0; i < 1_000; i++)
        {
            var verdict = policy.Evaluate(Traces.Sampled(Route("/cart")));
            if (verdict.Keeps)
            {
                cartKept++;
                cartAdjusted = verdict.AdjustedCount;
            }
        }
        for (var i = 0; i < 20; i++) refundKept += Decide(policy, Route("/refund")) == PolicyDecision.Sampled ? 1 : 0;

        Assert.Equal(20, refundKept);
        Assert.Equal(1, policy.Rates["/refund"]);
        Assert.Equal(12.5, policy.Rates["/cart"], 6);
        Assert.Equal(12.5, cartAdjusted, 6);
        Assert.InRange(cartKept, 60, 100);
    }
}
