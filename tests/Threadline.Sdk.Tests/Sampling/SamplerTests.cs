using System.Diagnostics;
using Threadline.Sdk.Processing;
using Threadline.Sdk.Sampling;

namespace Threadline.Sdk.Tests.Sampling;

public sealed class SamplerTests
{
    private static SamplingParameters Root(ActivityTraceId traceId) =>
        new(default, traceId, "span", ActivityKind.Internal, null, null);

    [Fact]
    public void Fixed_samplers_decide_always_the_same_and_describe_themselves()
    {
        var parameters = Root(ActivityTraceId.CreateRandom());
        Assert.Equal(SamplingDecision.RecordAndSample, new AlwaysOnSampler().ShouldSample(parameters).Decision);
        Assert.Equal(SamplingDecision.Drop, new AlwaysOffSampler().ShouldSample(parameters).Decision);
        Assert.Equal("AlwaysOnSampler", new AlwaysOnSampler().Description);
        Assert.Equal("AlwaysOffSampler", new AlwaysOffSampler().Description);
    }

    [Theory]
    [InlineData(0.5, "TraceIdRatioBased{0.5}")]
    [InlineData(0.0001, "TraceIdRatioBased{0.0001}")]
    [InlineData(1.0, "TraceIdRatioBased{1}")]
    [InlineData(0.0, "TraceIdRatioBased{0}")]
    public void Ratio_sampler_description_shows_the_ratio(double ratio, string description)
    {
        Assert.Equal(description, new TraceIdRatioBasedSampler(ratio).Description);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    public void Ratio_outside_zero_to_one_is_rejected(double ratio)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TraceIdRatioBasedSampler(ratio));
    }

    [Fact]
    public void Ratio_sampler_decides_the_same_for_a_trace_id_in_every_instance()
    {
        var first = new TraceIdRatioBasedSampler(0.3);
        var second = new TraceIdRatioBasedSampler(0.3);
        for (var i = 0; i < 1000; i++)
        {
            var traceId = ActivityTraceId.CreateRandom();
            var expected = first.ShouldSample(Root(traceId)).Decision;
            Assert.Equal(expected, second.ShouldSample(Root(traceId)).Decision);
            Assert.Equal(expected, first.ShouldSample(Root(traceId)).Decision);
        }
    }

    [Fact]
    public void Ratio_sampler_ignores_the_parent_decision()
    {
        var sampler = new TraceIdRatioBasedSampler(0);
        var sampledParent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var parameters = new SamplingParameters(sampledParent, sampledParent.TraceId, "child", ActivityKind.Internal, null, null);
        Assert.Equal(SamplingDecision.Drop, sampler.ShouldSample(parameters).Decision);
    }

    [Fact]
    public void A_higher_ratio_samples_every_trace_a_lower_ratio_samples()
    {
        var low = new TraceIdRatioBasedSampler(0.2);
        var high = new TraceIdRatioBasedSampler(0.6);
        for (var i = 0; i < 2000; i++)
        {
            var traceId = ActivityTraceId.CreateRandom();
            if (low.ShouldSample(Root(traceId)).Decision == SamplingDecision.RecordAndSample)
            {
                Assert.Equal(SamplingDecision.RecordAndSample, high.ShouldSample(Root(traceId)).Decision);
            }
        }
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void Ratio_sampler_samples_about_the_ratio_of_random_traces(double ratio)
    {
        var sampler = new TraceIdRatioBasedSampler(ratio);
        const int traces = 20_000;
        var sampled = 0;
        for (var i = 0; i < traces; i++)
        {
            if (sampler.ShouldSample(Root(ActivityTraceId.CreateRandom())).Decision == SamplingDecision.RecordAndSample) sampled++;
        }
        // Binomial standard deviation is at most 0.0036 here; 0.03 is over eight of them.
        Assert.InRange((double)sampled / traces, ratio - 0.03, ratio + 0.03);
    }

    [Fact]
    public void Ratio_zero_and_one_are_exact()
    {
        var none = new TraceIdRatioBasedSampler(0);
        var all = new TraceIdRatioBasedSampler(1);
        foreach (var hex in new[] { "00000000000000000000000000000001", "80000000000000000000000000000000", "ffffffffffffffffffffffffffffffff", "7fffffffffffffff0000000000000000" })
        {
            var traceId = ActivityTraceId.CreateFromString(hex);
            Assert.Equal(SamplingDecision.Drop, none.ShouldSample(Root(traceId)).Decision);
            Assert.Equal(SamplingDecision.RecordAndSample, all.ShouldSample(Root(traceId)).Decision);
        }
    }

    [Theory]
    // The first 8 bytes, big-endian and signed, against ratio × long.MaxValue: OpenTelemetry .NET's rule.
    [InlineData("0000000000000000ffffffffffffffff", 0.01, true)]
    [InlineData("3fffffffffffffff0000000000000000", 0.5, true)]
    [InlineData("4000000000000001ffffffffffffffff", 0.5, false)]
    [InlineData("c000000000000001ffffffffffffffff", 0.5, true)]
    [InlineData("bfffffffffffffff0000000000000000", 0.5, false)]
    [InlineData("ffffffffffffffff0000000000000000", 0.0001, true)]
    [InlineData("00000000000000017fffffffffffffff", 0.0000000001, true)]
    public void Ratio_sampler_agrees_with_OpenTelemetry_dotnet(string traceId, double ratio, bool sampled)
    {
        var decision = new TraceIdRatioBasedSampler(ratio).ShouldSample(Root(ActivityTraceId.CreateFromString(traceId))).Decision;
        Assert.Equal(sampled, decision == SamplingDecision.RecordAndSample);
    }

    public static TheoryData<bool, bool, string> ParentCases => new()
    {
        { true, true, "remoteParentSampled" },
        { true, false, "remoteParentNotSampled" },
        { false, true, "localParentSampled" },
        { false, false, "localParentNotSampled" },
    };

    [Theory]
    [MemberData(nameof(ParentCases))]
    public void ParentBased_asks_the_sampler_for_the_parent_case(bool remote, bool sampled, string expected)
    {
        var sampler = new ParentBasedSampler(
            new NamedSampler("root"),
            new NamedSampler("remoteParentSampled"),
            new NamedSampler("remoteParentNotSampled"),
            new NamedSampler("localParentSampled"),
            new NamedSampler("localParentNotSampled"));
        var parent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, isRemote: remote);

        var result = sampler.ShouldSample(new SamplingParameters(parent, parent.TraceId, "child", ActivityKind.Internal, null, null));

        Assert.Equal(expected, result.TraceState);
    }

    [Fact]
    public void ParentBased_asks_root_without_a_parent()
    {
        var sampler = new ParentBasedSampler(new NamedSampler("root"));
        Assert.Equal("root", sampler.ShouldSample(Root(ActivityTraceId.CreateRandom())).TraceState);
    }

    [Theory]
    [MemberData(nameof(ParentCases))]
    public void ParentBased_defaults_follow_the_parent(bool remote, bool sampled, string _)
    {
        var sampler = new ParentBasedSampler(new AlwaysOffSampler());
        var parent = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, isRemote: remote);

        var decision = sampler.ShouldSample(new SamplingParameters(parent, parent.TraceId, "child", ActivityKind.Internal, null, null)).Decision;

        Assert.Equal(sampled ? SamplingDecision.RecordAndSample : SamplingDecision.Drop, decision);
    }

    [Fact]
    public void ParentBased_description_names_every_delegate()
    {
        Assert.Equal(
            "ParentBased{root=TraceIdRatioBased{0.25},remoteParentSampled=AlwaysOnSampler,remoteParentNotSampled=AlwaysOffSampler,localParentSampled=AlwaysOnSampler,localParentNotSampled=AlwaysOffSampler}",
            new ParentBasedSampler(new TraceIdRatioBasedSampler(0.25)).Description);
    }

    [Fact]
    public void A_dropped_span_still_has_valid_ids_is_current_and_propagates()
    {
        using var tracing = TestTracing.Start(o => o.Sampler = new AlwaysOffSampler());

        using (var root = tracing.Source.StartSpan("dropped root"))
        {
            Assert.NotNull(root);
            Assert.Same(root, Activity.Current);
            Assert.NotEqual(default, root.TraceId);
            Assert.NotEqual(default, root.SpanId);
            Assert.False(root.Recorded);
            Assert.False(root.IsAllDataRequested);
            Assert.Equal($"00-{root.TraceId}-{root.SpanId}-00", root.Id);

            using var child = tracing.Source.StartSpan("dropped child");
            Assert.NotNull(child);
            Assert.Equal(root.TraceId, child.TraceId);
            Assert.Equal(root.SpanId, child.ParentSpanId);
            Assert.NotEqual(root.SpanId, child.SpanId);
        }
        Assert.Empty(tracing.Spans);
    }

    [Fact]
    public void Under_the_default_sampler_a_remote_unsampled_parent_keeps_its_trace_unsampled()
    {
        using var tracing = TestTracing.Start();
        var remote = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None, isRemote: true);
        var sampledRemote = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, isRemote: true);

        using (var span = tracing.Source.StartSpan("server", ActivityKind.Server, parent: remote))
        {
            Assert.Equal(remote.TraceId, span!.TraceId);
            Assert.False(span.Recorded);
        }
        using (var span = tracing.Source.StartSpan("server", ActivityKind.Server, parent: sampledRemote))
        {
            Assert.True(span!.Recorded);
        }
        Assert.Equal(sampledRemote.TraceId, Assert.Single(tracing.Spans).TraceId);
    }

    [Fact]
    public void Sampler_attributes_and_tracestate_are_applied_to_the_span()
    {
        var sampler = new DecidingSampler(new SamplingResult(
            SamplingDecision.RecordAndSample,
            [new("sampling.rule", "checkout"), new("sampling.weight", 4L)],
            "vendor=abc"));
        using var tracing = TestTracing.Start(o => o.Sampler = sampler);

        using (var span = tracing.Source.StartSpan("sampled", attributes: [new("given", "at start")]))
        {
            Assert.Equal("vendor=abc", span!.TraceStateString);
        }

        var exported = Assert.Single(tracing.Spans);
        Assert.Equal("checkout", exported.GetTagItem("sampling.rule"));
        Assert.Equal(4L, exported.GetTagItem("sampling.weight"));
        Assert.Equal("at start", exported.GetTagItem("given"));
        Assert.Equal("sampled", sampler.LastName);
        Assert.Contains(sampler.LastTags!, t => t.Key == "given");
    }

    [Fact]
    public void Record_only_spans_reach_processors_but_not_exporters()
    {
        var seen = new RecordingProcessor();
        using var tracing = TestTracing.Start(o =>
        {
            o.Sampler = new DecidingSampler(new SamplingResult(SamplingDecision.RecordOnly));
            o.AddProcessor(seen);
        });

        using (var span = tracing.Source.StartSpan("recorded"))
        {
            Assert.True(span!.IsAllDataRequested);
            Assert.False(span.Recorded);
        }

        Assert.Equal(["start recorded", "end recorded"], seen.Calls);
        Assert.Empty(tracing.Spans);
    }

    [Fact]
    public void A_span_under_a_hierarchical_parent_id_is_sampled_as_a_root()
    {
        var sampler = new ParentBasedSampler(new TraceIdRatioBasedSampler(1));
        using var tracing = TestTracing.Start(o => o.Sampler = sampler);
        using (var span = tracing.Source.StartActivity("legacy", ActivityKind.Server, parentId: "|legacy-root.1."))
        {
            Assert.True(span!.Recorded);
        }
        Assert.Single(tracing.Spans);
    }

    [Fact]
    public void A_throwing_sampler_drops_the_span_instead_of_failing_the_caller()
    {
        using var tracing = TestTracing.Start(o => o.Sampler = new ThrowingSampler());
        using var span = tracing.Source.StartSpan("survives");
        Assert.NotNull(span);
        Assert.False(span.Recorded);
    }

    private sealed class NamedSampler(string name) : Sampler
    {
        public override string Description => name;

        public override SamplingResult ShouldSample(in SamplingParameters parameters) =>
            new(SamplingDecision.RecordAndSample, TraceState: name);
    }

    private sealed class DecidingSampler(SamplingResult result) : Sampler
    {
        public string? LastName { get; private set; }

        public List<KeyValuePair<string, object?>>? LastTags { get; private set; }

        public override SamplingResult ShouldSample(in SamplingParameters parameters)
        {
            LastName = parameters.Name;
            LastTags = parameters.Tags?.ToList();
            return result;
        }
    }

    private sealed class ThrowingSampler : Sampler
    {
        public override SamplingResult ShouldSample(in SamplingParameters parameters) => throw new InvalidOperationException("broken sampler");
    }

    internal sealed class RecordingProcessor : SpanProcessor
    {
        private readonly List<string> _calls = [];

        public IReadOnlyList<string> Calls
        {
            get
            {
                lock (_calls) return [.. _calls];
            }
        }

        public override void OnStart(Activity activity)
        {
            lock (_calls) _calls.Add("start " + activity.DisplayName);
        }

        public override void OnEnd(Activity activity)
        {
            lock (_calls) _calls.Add("end " + activity.DisplayName);
        }
    }
}
