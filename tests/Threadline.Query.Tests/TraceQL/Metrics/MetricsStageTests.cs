using Threadline.Core.Model;
using Threadline.Query.TraceQL;
using static Threadline.Query.Tests.TraceQL.Metrics.MetricsFixture;

namespace Threadline.Query.Tests.TraceQL.Metrics;

/// <summary>Second stages (topk, bottomk, sample filters), arithmetic between series, and compare().</summary>
public sealed class MetricsStageTests
{
    // Per minute: a = [3, 0], b = [1, 2], c = [2, 1].
    private static MetricsFixture ThreeServices() => new MetricsFixture()
        .Add(0, service: "a").Add(1 * Second, service: "a").Add(2 * Second, service: "a")
        .Add(3 * Second, service: "b").Add(61 * Second, service: "b").Add(62 * Second, service: "b")
        .Add(4 * Second, service: "c").Add(5 * Second, service: "c").Add(63 * Second, service: "c");

    [Fact]
    public async Task Topk_keeps_at_each_step_the_series_with_the_highest_values()
    {
        var result = await ThreeServices().BothPathsAsync(Request("{ } | count_over_time() by (resource.service.name) | topk(1)", 0, 2 * Minute, Minute));

        Assert.Equal([(0L, 3.0)], Samples(result, "{resource.service.name=\"a\"}"));
        Assert.Equal([(60_000L, 2.0)], Samples(result, "{resource.service.name=\"b\"}"));
        Assert.Equal(2, result.Series.Count);
    }

    [Fact]
    public async Task Bottomk_keeps_at_each_step_the_series_with_the_lowest_values()
    {
        var result = await ThreeServices().BothPathsAsync(Request("{ } | count_over_time() by (resource.service.name) | bottomk(1)", 0, 2 * Minute, Minute));

        Assert.Equal([(60_000L, 0.0)], Samples(result, "{resource.service.name=\"a\"}"));
        Assert.Equal([(0L, 1.0)], Samples(result, "{resource.service.name=\"b\"}"));
        Assert.Equal(2, result.Series.Count);
    }

    [Fact]
    public async Task A_sample_filter_keeps_only_the_samples_that_pass()
    {
        var result = await ThreeServices().BothPathsAsync(Request("{ } | count_over_time() by (resource.service.name) > 1", 0, 2 * Minute, Minute));

        Assert.Equal([(0L, 3.0)], Samples(result, "{resource.service.name=\"a\"}"));
        Assert.Equal([(60_000L, 2.0)], Samples(result, "{resource.service.name=\"b\"}"));
        Assert.Equal([(0L, 2.0)], Samples(result, "{resource.service.name=\"c\"}"));
    }

    [Fact]
    public async Task Dividing_two_metrics_pairs_series_by_labels()
    {
        var fixture = new MetricsFixture()
            .Add(0, service: "a", status: StatusCode.Error).Add(1 * Second, service: "a").Add(2 * Second, service: "a").Add(3 * Second, service: "a")
            .Add(4 * Second, service: "b");

        var result = await fixture.BothPathsAsync(Request(
            "({ status = error } | count_over_time() by (resource.service.name)) / ({ } | count_over_time() by (resource.service.name))",
            0, Minute, Minute));

        Assert.Equal([(0L, 0.25)], Samples(result, "{resource.service.name=\"a\"}"));
        Assert.Single(result.Series);
    }

    [Fact]
    public async Task Scaling_a_metric_multiplies_every_sample_and_keeps_its_labels()
    {
        var fixture = new MetricsFixture().Add(0).Add(1 * Second).Add(61 * Second);

        var result = await fixture.BothPathsAsync(Request("({ } | rate()) * 60", 0, 2 * Minute, Minute));

        Assert.Equal([(0L, 2.0), (60_000L, 1.0)], Samples(result, "{__name__=\"rate\"}"));
    }

    [Fact]
    public async Task A_query_mixing_an_ingest_answerable_and_a_scanned_metric_reports_that_it_scanned()
    {
        var fixture = new MetricsFixture().Add(0, attributes: [new("route", "/a")]).Add(1 * Second);
        var engine = await fixture.EngineAsync();

        var result = await engine.QueryRangeAsync(
            Request("({ span.route = \"/a\" } | count_over_time()) / ({ } | count_over_time())", 0, Minute, Minute), CancellationToken.None);

        Assert.False(result.AnsweredFromIngestMetrics);
        Assert.Equal([(0L, 0.5)], Samples(result, "{}"));
    }

    [Fact]
    public async Task Compare_counts_each_attribute_value_of_the_selection_against_the_baseline()
    {
        var fixture = new MetricsFixture()
            .Add(0, service: "api", status: StatusCode.Error, attributes: [new("route", "/pay")])
            .Add(1 * Second, service: "api", status: StatusCode.Error, attributes: [new("route", "/pay")])
            .Add(2 * Second, service: "api", attributes: [new("route", "/cart")])
            .Add(3 * Second, service: "db");
        var engine = await fixture.EngineAsync();

        var result = await engine.QueryRangeAsync(Request("{ } | compare({ status = error })", 0, Minute, Minute), CancellationToken.None);

        Assert.Equal([(0L, 2.0)], Samples(result, "{__meta_type=\"selection\", resource.service.name=\"api\"}"));
        Assert.Equal([(0L, 2.0)], Samples(result, "{__meta_type=\"selection\", span.route=\"/pay\"}"));
        Assert.Equal([(0L, 1.0)], Samples(result, "{__meta_type=\"baseline\", resource.service.name=\"api\"}"));
        Assert.Equal([(0L, 1.0)], Samples(result, "{__meta_type=\"baseline\", resource.service.name=\"db\"}"));
        Assert.Equal([(0L, 2.0)], Samples(result, "{__meta_type=\"baseline_total\", resource.service.name=\"<nil>\"}"));
        Assert.Equal([(0L, 2.0)], Samples(result, "{__meta_type=\"selection_total\", status=\"<nil>\"}"));
        Assert.DoesNotContain(result.Series, s => s.PromLabels.Contains("__meta_error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Compare_marks_an_attribute_with_more_values_than_asked()
    {
        var fixture = new MetricsFixture().Add(0, service: "a").Add(1 * Second, service: "b");
        var engine = await fixture.EngineAsync();

        var result = await engine.QueryRangeAsync(Request("{ } | compare({ status = error }, 1)", 0, Minute, Minute), CancellationToken.None);

        Assert.Single(result.Series, s => s.PromLabels == "{__meta_error=\"__too_many_values__\", resource.service.name=\"<nil>\"}");
        Assert.Single(result.Series, s => s.PromLabels.StartsWith("{__meta_type=\"baseline\", resource.service.name=", StringComparison.Ordinal));
    }
}
