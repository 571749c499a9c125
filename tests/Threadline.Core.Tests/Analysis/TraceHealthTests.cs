using Threadline.Core.Analysis;
using Threadline.Core.Model;
using Threadline.Core.Synthetic;

namespace Threadline.Core.Tests.Analysis;

public sealed class TraceHealthTests
{
    private static TestTrace Healthy() => new TestTrace()
        .Add(1, 0, "checkout", "POST /checkout", 0, 100, SpanKind.Server, flags: 0x301)
        .Add(2, 1, "checkout", "POST /pay", 10, 60, SpanKind.Client, flags: 0x101)
        .Add(3, 2, "payments", "POST /pay", 20, 50, SpanKind.Server, flags: 0x301);

    [Fact]
    public void A_whole_trace_has_no_findings()
    {
        Assert.Empty(Check(Healthy()));
    }

    [Fact]
    public void Generated_traces_have_no_findings()
    {
        var generator = new RealisticTraceGenerator(seed: 5, TestTrace.Epoch);
        for (var t = 0; t < 300; t++)
        {
            var tree = TraceTree.Build(generator.NextTrace());
            Assert.Empty(TraceHealth.Check(tree, ClockSkew.Adjust(tree)));
        }
    }

    [Fact]
    public void A_server_span_whose_parent_never_arrived_names_the_calling_service_and_the_likely_cause()
    {
        var trace = new TestTrace()
            .Add(1, 0, "checkout", "POST /checkout", 0, 100, SpanKind.Server)
            .Add(2, 1, "checkout", "POST /pay", 10, 60, SpanKind.Client)
            .Add(3, 0xf0, "payments", "POST /pay", 20, 50, SpanKind.Server)
            .Add(4, 3, "payments", "INSERT", 25, 45, SpanKind.Client);

        var finding = Assert.Single(Check(trace));

        Assert.Equal((HealthFindingKind.MissingParent, HealthSeverity.Error), (finding.Kind, finding.Severity));
        Assert.Equal(["checkout", "payments"], finding.Services);
        Assert.Equal([new SpanId(3)], finding.SpanIds);
        Assert.Contains("1 span of payments name parent 00000000000000f0", finding.Message, StringComparison.Ordinal);
        Assert.Contains("checkout → payments lost the trace context", finding.Message, StringComparison.Ordinal);
        Assert.Contains("proxy", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_span_with_no_candidate_caller_blames_an_uninstrumented_client()
    {
        var trace = new TestTrace().Add(3, 0xf0, "payments", "POST /pay", 20, 50, SpanKind.Server);

        var finding = Assert.Single(Check(trace));

        Assert.Equal(HealthFindingKind.MissingParent, finding.Kind);
        Assert.Equal(["payments"], finding.Services);
        Assert.Contains("an uninstrumented client → payments", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_internal_span_whose_parent_in_the_same_service_never_arrived_is_an_orphan()
    {
        var trace = new TestTrace()
            .Add(1, 0, "checkout", "POST /checkout", 0, 100, SpanKind.Server)
            .Add(5, 0xee, "checkout", "render", 20, 30)
            .Add(6, 0xee, "checkout", "cache lookup", 31, 32);

        var finding = Assert.Single(Check(trace));

        Assert.Equal((HealthFindingKind.Orphan, HealthSeverity.Warning), (finding.Kind, finding.Severity));
        Assert.Equal([new SpanId(5), new SpanId(6)], finding.SpanIds);
        Assert.Contains("2 spans of checkout name parent 00000000000000ee", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_span_ending_before_it_starts_is_reported_with_the_amount()
    {
        var trace = Healthy().AddRaw(4, 1, "checkout", "backwards", TestTrace.At(70), TestTrace.At(68));

        var finding = Assert.Single(Check(trace));

        Assert.Equal((HealthFindingKind.EndBeforeStart, HealthSeverity.Error), (finding.Kind, finding.Severity));
        Assert.Contains("by up to 2 ms", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_span_with_end_zero_never_ended()
    {
        var trace = Healthy().AddRaw(4, 1, "checkout", "open", TestTrace.At(70), 0);

        var finding = Assert.Single(Check(trace));

        Assert.Equal((HealthFindingKind.NeverEnded, HealthSeverity.Warning), (finding.Kind, finding.Severity));
        Assert.Equal([new SpanId(4)], finding.SpanIds);
    }

    [Fact]
    public void A_child_outliving_its_parent_on_the_same_host_is_not_skew()
    {
        var trace = Healthy().Add(4, 1, "checkout", "fire and forget", 90, 130);

        var finding = Assert.Single(Check(trace));

        Assert.Equal((HealthFindingKind.ChildOutsideParent, HealthSeverity.Warning), (finding.Kind, finding.Severity));
        Assert.Contains("checkout: fire and forget ends 30 ms after its parent checkout: POST /checkout", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_consumer_after_its_producer_is_not_outside_its_parent()
    {
        var trace = Healthy()
            .Add(4, 1, "checkout", "publish", 70, 75, SpanKind.Producer)
            .Add(5, 4, "worker", "process", 200, 300, SpanKind.Consumer);

        Assert.Empty(Check(trace));
    }

    [Fact]
    public void Spans_disagreeing_on_the_sampled_flag_are_mixed_sampling()
    {
        var trace = Healthy().Add(4, 3, "payments", "INSERT", 25, 45, SpanKind.Client, flags: 0x100);

        var finding = Assert.Single(Check(trace));

        Assert.Equal(HealthFindingKind.MixedSampling, finding.Kind);
        Assert.Equal([new SpanId(4)], finding.SpanIds);
        Assert.Equal(["payments"], finding.Services);
    }

    [Fact]
    public void Spans_without_flags_do_not_count_as_unsampled()
    {
        var trace = Healthy().Add(4, 3, "payments", "INSERT", 25, 45, SpanKind.Client, flags: 0);

        Assert.Empty(Check(trace));
    }

    [Fact]
    public void A_reused_span_id_is_reported()
    {
        var trace = Healthy().Add(2, 1, "checkout", "again", 70, 80);

        var finding = Assert.Single(Check(trace));

        Assert.Equal((HealthFindingKind.DuplicateSpanId, HealthSeverity.Error), (finding.Kind, finding.Severity));
        Assert.Equal([new SpanId(2), new SpanId(2)], finding.SpanIds);
    }

    [Fact]
    public void A_corrected_clock_is_reported_with_the_hosts_and_the_shift()
    {
        var trace = new TestTrace()
            .Add(1, 0, "checkout", "POST /pay", 10, 50, SpanKind.Client, host: "web-1")
            .Add(2, 1, "payments", "POST /pay", 60, 80, SpanKind.Server, host: "pay-1");

        var finding = Assert.Single(Check(trace));

        Assert.Equal((HealthFindingKind.ClockSkew, HealthSeverity.Warning), (finding.Kind, finding.Severity));
        Assert.Equal(["payments", "checkout"], finding.Services);
        Assert.Contains("Clocks of host pay-1 (payments) and host web-1 (checkout) differ", finding.Message, StringComparison.Ordinal);
        Assert.Contains("30 ms earlier", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_roots_are_reported()
    {
        var trace = Healthy().Add(9, 0, "cron", "nightly", 0, 10, flags: 0x1);

        var finding = Assert.Single(Check(trace));

        Assert.Equal(HealthFindingKind.MultipleRoots, finding.Kind);
        Assert.Equal([new SpanId(1), new SpanId(9)], finding.SpanIds);
    }

    [Fact]
    public void A_loop_of_parent_links_is_reported()
    {
        var trace = new TestTrace()
            .Add(1, 2, "web", "a", 0, 100)
            .Add(2, 1, "web", "b", 10, 90);

        var finding = Assert.Single(Check(trace));

        Assert.Equal((HealthFindingKind.Orphan, HealthSeverity.Error), (finding.Kind, finding.Severity));
        Assert.Contains("leads back", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_problems_together_are_each_reported_errors_first()
    {
        var trace = Healthy()
            .Add(2, 1, "checkout", "again", 70, 80, flags: 0x301)
            .AddRaw(4, 1, "checkout", "open", TestTrace.At(70), 0)
            .Add(5, 0xf0, "inventory", "GET /stock", 20, 30, SpanKind.Server, flags: 0x300)
            .Add(6, 1, "checkout", "late", 90, 130, flags: 0x301);

        var findings = Check(trace);

        Assert.Equal(
            [HealthFindingKind.MissingParent, HealthFindingKind.DuplicateSpanId, HealthFindingKind.NeverEnded, HealthFindingKind.ChildOutsideParent, HealthFindingKind.MixedSampling],
            findings.Select(f => f.Kind));
    }

    [Fact]
    public void Span_ids_listed_per_finding_are_bounded()
    {
        var trace = new TestTrace().Add(1, 0, "web", "root", 0, 100);
        for (ulong i = 0; i < TraceHealth.MaxSpanIdsPerFinding + 10; i++) trace.AddRaw(100 + i, 1, "web", "open", TestTrace.At(1), 0);

        var finding = Assert.Single(Check(trace));

        Assert.Equal(TraceHealth.MaxSpanIdsPerFinding, finding.SpanIds.Count);
        Assert.Contains("1,010 spans", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_million_span_chain_and_fan_out_are_checked_without_stack_overflow()
    {
        foreach (var spans in new[] { AnalysisShapes.Chain(1_000_000), AnalysisShapes.Wide(1_000_000) })
        {
            var tree = TraceTree.Build(spans);
            Assert.Empty(TraceHealth.Check(tree, ClockSkew.Adjust(tree)));
        }
    }

    private static IReadOnlyList<HealthFinding> Check(TestTrace trace)
    {
        var tree = TraceTree.Build(trace.Spans);
        return TraceHealth.Check(tree, ClockSkew.Adjust(tree));
    }
}
