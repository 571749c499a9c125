using Threadline.Core.Model;
using Threadline.Query.TraceQL;
using static Threadline.Query.Tests.TraceQL.Metrics.MetricsFixture;

namespace Threadline.Query.Tests.TraceQL.Metrics;

/// <summary>Each metrics function against series computed by hand from a few known spans.</summary>
public sealed class MetricsFunctionTests
{
    [Fact]
    public async Task Rate_is_spans_per_second_of_each_step_and_a_span_on_a_boundary_opens_the_next_step()
    {
        var fixture = new MetricsFixture()
            .Add(0).Add(10 * Second).Add(59 * Second)
            .Add(60 * Second).Add(61 * Second)
            .Add(150 * Second);

        var result = await fixture.BothPathsAsync(Request("{ } | rate()", 0, 3 * Minute, Minute));

        Assert.Equal([(0L, 3 / 60.0), (60_000L, 2 / 60.0), (120_000L, 1 / 60.0)], Samples(result, "{__name__=\"rate\"}"));
    }

    [Fact]
    public async Task Count_over_time_by_service_makes_one_series_per_service_with_zero_for_empty_steps()
    {
        var fixture = new MetricsFixture()
            .Add(0, service: "api").Add(5 * Second, service: "api")
            .Add(70 * Second, service: "db");

        var result = await fixture.BothPathsAsync(Request("{ } | count_over_time() by (resource.service.name)", 0, 2 * Minute, Minute));

        Assert.Equal([(0L, 2.0), (60_000L, 0.0)], Samples(result, "{resource.service.name=\"api\"}"));
        Assert.Equal([(0L, 0.0), (60_000L, 1.0)], Samples(result, "{resource.service.name=\"db\"}"));
        Assert.Equal(["resource.service.name"], result.Series[0].Labels.Select(l => l.Name));
    }

    [Fact]
    public async Task A_filter_on_status_and_kind_counts_only_matching_spans_on_both_paths()
    {
        var fixture = new MetricsFixture()
            .Add(0, status: StatusCode.Error).Add(1 * Second, status: StatusCode.Error, kind: SpanKind.Client)
            .Add(2 * Second, status: StatusCode.Ok).Add(3 * Second);

        var result = await fixture.BothPathsAsync(Request("{ status = error && kind = server } | count_over_time() by (name, status)", 0, Minute, Minute));

        Assert.Equal([(0L, 1.0)], Samples(result, "{name=\"GET /\", status=\"error\"}"));
        Assert.Single(result.Series);
    }

    [Fact]
    public async Task Steps_that_are_not_whole_minutes_are_scanned_with_the_same_boundary_rule()
    {
        var fixture = new MetricsFixture().Add(0).Add(30 * Second).Add(60 * Second - 1);
        var engine = await fixture.EngineAsync();

        var result = await engine.QueryRangeAsync(Request("{ } | count_over_time()", 0, Minute, 30 * Second), CancellationToken.None);

        Assert.False(result.AnsweredFromIngestMetrics);
        Assert.Equal([(0L, 1.0), (30_000L, 2.0)], Samples(result, "{__name__=\"count_over_time\"}"));
    }

    [Fact]
    public async Task Sum_min_max_and_avg_over_time_of_duration_are_in_seconds_and_empty_steps_have_no_sample()
    {
        var fixture = new MetricsFixture()
            .Add(0, durationNanos: 100 * Millisecond).Add(1 * Second, durationNanos: 300 * Millisecond)
            .Add(61 * Second, durationNanos: 50 * Millisecond);
        var engine = await fixture.EngineAsync();

        async Task<IReadOnlyList<(long, double)>> Run(string function)
        {
            var result = await engine.QueryRangeAsync(Request($"{{ }} | {function}(duration)", 0, 3 * Minute, Minute), CancellationToken.None);
            Assert.False(result.AnsweredFromIngestMetrics);
            return Samples(result, $"{{__name__=\"{function}\"}}");
        }

        AssertSamples([(0, 0.4), (60_000, 0.05)], await Run("sum_over_time"));
        AssertSamples([(0, 0.1), (60_000, 0.05)], await Run("min_over_time"));
        AssertSamples([(0, 0.3), (60_000, 0.05)], await Run("max_over_time"));
        AssertSamples([(0, 0.2), (60_000, 0.05)], await Run("avg_over_time"));
    }

    [Fact]
    public async Task Over_time_functions_read_numeric_attributes_and_skip_spans_without_them()
    {
        var fixture = new MetricsFixture()
            .Add(0, attributes: [new("bytes", 10), new("route", "/a")])
            .Add(1 * Second, attributes: [new("bytes", 2.5), new("route", "/a")])
            .Add(2 * Second, attributes: [new("bytes", "not a number"), new("route", "/a")])
            .Add(3 * Second, attributes: [new("route", "/b")])
            .Add(4 * Second, attributes: [new("bytes", 7), new("route", "/b")]);
        var engine = await fixture.EngineAsync();

        var result = await engine.QueryRangeAsync(Request("{ } | sum_over_time(span.bytes) by (span.route)", 0, Minute, Minute), CancellationToken.None);

        Assert.Equal([(0L, 12.5)], Samples(result, "{span.route=\"/a\"}"));
        Assert.Equal([(0L, 7.0)], Samples(result, "{span.route=\"/b\"}"));
    }

    [Fact]
    public async Task Quantile_over_time_makes_one_series_per_quantile_within_the_sketch_error_on_both_paths()
    {
        var fixture = new MetricsFixture();
        for (ulong i = 1; i <= 100; i++) fixture.Add(i * 100 * Millisecond, durationNanos: i * Millisecond);

        var result = await fixture.BothPathsAsync(Request("{ } | quantile_over_time(duration, 0.5, 0.9)", 0, Minute, Minute));

        // Ranks ⌊q·(n−1)⌋ of 1..100 ms: the 50th and the 90th value.
        var median = Assert.Single(Samples(result, "{p=\"0.5\"}"));
        var p90 = Assert.Single(Samples(result, "{p=\"0.9\"}"));
        Assert.InRange(median.Value, 0.050 * 0.99, 0.050 * 1.01);
        Assert.InRange(p90.Value, 0.090 * 0.99, 0.090 * 1.01);
        Assert.Equal(AttributeValue.FromDouble(0.9), result.Series.Single(s => s.PromLabels == "{p=\"0.9\"}").Labels.Single().Value);
    }

    [Fact]
    public async Task Histogram_over_time_counts_spans_per_power_of_two_bucket_in_seconds_on_both_paths()
    {
        var fixture = new MetricsFixture()
            .Add(0, durationNanos: 3 * Millisecond).Add(1 * Second, durationNanos: 3 * Millisecond)
            .Add(61 * Second, durationNanos: 100 * Millisecond);

        var result = await fixture.BothPathsAsync(Request("{ } | histogram_over_time(duration)", 0, 2 * Minute, Minute));

        // 3 ms rounds up to 2^22 ns, 100 ms to 2^27 ns.
        Assert.Equal([(0L, 2.0), (60_000L, 0.0)], Samples(result, "{__bucket=\"0.004194304\"}"));
        Assert.Equal([(0L, 0.0), (60_000L, 1.0)], Samples(result, "{__bucket=\"0.134217728\"}"));
    }

    [Fact]
    public async Task Histogram_buckets_of_an_integer_attribute_print_as_go_prints_floats_and_skip_doubles()
    {
        var fixture = new MetricsFixture()
            .Add(0, attributes: [new("bytes", 1_500_000)])
            .Add(1 * Second, attributes: [new("bytes", 3)])
            .Add(2 * Second, attributes: [new("bytes", 2.5)])
            .Add(3 * Second, attributes: [new("bytes", 1)]);
        var engine = await fixture.EngineAsync();

        var result = await engine.QueryRangeAsync(Request("{ } | histogram_over_time(span.bytes)", 0, Minute, Minute), CancellationToken.None);

        // 1,500,000 rounds up to 2^21; 3 to 4; 2.5 (a double) and 1 (under 2) have no bucket.
        Assert.Equal(["{__bucket=\"2.097152e+06\"}", "{__bucket=\"4\"}"], result.Series.Select(s => s.PromLabels));
    }

    [Fact]
    public async Task A_missing_grouping_value_is_dropped_from_the_labels_and_all_missing_prints_nil()
    {
        var fixture = new MetricsFixture().Add(0, attributes: [new("route", "/a")]).Add(1 * Second);
        var engine = await fixture.EngineAsync();

        var result = await engine.QueryRangeAsync(Request("{ } | count_over_time() by (span.route)", 0, Minute, Minute), CancellationToken.None);

        Assert.Equal(["{span.route=\"/a\"}", "{span.route=\"<nil>\"}"], result.Series.Select(s => s.PromLabels));
    }

    [Fact]
    public async Task Label_values_are_quoted_and_escaped_as_prometheus_prints_them()
    {
        var fixture = new MetricsFixture().Add(0, service: "say \"hi\"\\now").Add(1 * Second, service: "");
        var engine = await fixture.EngineAsync();

        var result = await engine.QueryRangeAsync(Request("{ } | count_over_time() by (resource.service.name)", 0, Minute, Minute), CancellationToken.None);

        Assert.Equal(["{resource.service.name=\"<empty>\"}", "{resource.service.name=\"say \\\"hi\\\"\\\\now\"}"], result.Series.Select(s => s.PromLabels));
    }

    [Fact]
    public async Task An_instant_query_answers_one_sample_for_the_whole_range()
    {
        var fixture = new MetricsFixture().Add(0).Add(70 * Second).Add(170 * Second);
        var engine = await fixture.EngineAsync();

        var count = await engine.QueryInstantAsync(Request("{ } | count_over_time()", 0, 3 * Minute), CancellationToken.None);
        var rate = await engine.QueryInstantAsync(Request("{ } | rate()", 0, 3 * Minute), CancellationToken.None);

        Assert.True(count.AnsweredFromIngestMetrics);
        Assert.Equal([(0L, 3.0)], Samples(count, "{__name__=\"count_over_time\"}"));
        Assert.Equal([(0L, 3 / 180.0)], Samples(rate, "{__name__=\"rate\"}"));
    }

    [Fact]
    public async Task Without_a_step_an_hour_gets_tempos_fifteen_seconds_or_whole_minutes_when_ingest_metrics_answer()
    {
        var fixture = new MetricsFixture().Add(0, attributes: [new("x", 1)]);
        var engine = await fixture.EngineAsync();

        var scanned = await engine.QueryRangeAsync(Request("{ span.x = 1 } | count_over_time()", 0, 60 * Minute), CancellationToken.None);
        var fromIngest = await engine.QueryRangeAsync(Request("{ } | count_over_time()", 0, 60 * Minute), CancellationToken.None);

        Assert.Equal(240, scanned.Series.Single().Samples.Count);
        Assert.Equal(15_000, scanned.Series.Single().Samples[1].TimestampMs - OriginMs);
        Assert.True(fromIngest.AnsweredFromIngestMetrics);
        Assert.Equal(60, fromIngest.Series.Single().Samples.Count);
    }

    [Fact]
    public async Task Without_start_and_end_the_range_is_the_hour_before_now()
    {
        var fixture = new MetricsFixture().Add(59 * Minute).Add(61 * Minute);
        var engine = await fixture.EngineAsync(time: new StoppedClock(Origin + 60 * Minute));

        var result = await engine.QueryRangeAsync(new TraceQLMetricsRequest { Query = "{ } | count_over_time()", StepNanos = 60 * Minute }, CancellationToken.None);

        Assert.Equal([(0L, 1.0)], Samples(result, "{__name__=\"count_over_time\"}"));
    }

    [Fact]
    public async Task A_structural_selection_counts_only_the_spans_it_keeps()
    {
        var fixture = new MetricsFixture()
            .Add(0, service: "gateway").AddChild(1 * Second, "db", "SELECT").AddChild(2 * Second, "cache", "GET")
            .Add(61 * Second, service: "worker").AddChild(62 * Second, "db", "SELECT");
        var engine = await fixture.EngineAsync();

        var result = await engine.QueryRangeAsync(
            Request("{ resource.service.name = \"gateway\" } >> { resource.service.name = \"db\" } | count_over_time() by (name)", 0, 2 * Minute, Minute),
            CancellationToken.None);

        Assert.False(result.AnsweredFromIngestMetrics);
        Assert.Equal([(0L, 1.0), (60_000L, 0.0)], Samples(result, "{name=\"SELECT\"}"));
        Assert.Single(result.Series);
    }

    [Fact]
    public async Task Exemplars_are_a_few_spans_per_series_carrying_their_trace_id()
    {
        var fixture = new MetricsFixture().Add(0).Add(61 * Second).Add(121 * Second);
        var engine = await fixture.EngineAsync();

        var result = await engine.QueryRangeAsync(Request("{ } | count_over_time()", 0, 3 * Minute, 30 * Second, exemplars: 2), CancellationToken.None);

        var series = Assert.Single(result.Series);
        Assert.Equal(2, series.Exemplars.Count);
        Assert.All(series.Exemplars, e =>
        {
            Assert.Equal(32, Assert.Single(e.Labels, l => l.Name == "trace:id").Value.AsString().Length);
            Assert.Equal(1.0, e.Value);
        });
    }

    private static void AssertSamples(IReadOnlyList<(long Ms, double Value)> expected, IReadOnlyList<(long Ms, double Value)> actual)
    {
        Assert.Equal(expected.Select(e => e.Ms), actual.Select(a => a.Ms));
        for (var i = 0; i < expected.Count; i++) Assert.Equal(expected[i].Value, actual[i].Value, 9);
    }
}
