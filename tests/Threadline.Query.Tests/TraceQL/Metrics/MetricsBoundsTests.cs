using Threadline.Query.TraceQL;
using static Threadline.Query.Tests.TraceQL.Metrics.MetricsFixture;

namespace Threadline.Query.Tests.TraceQL.Metrics;

/// <summary>Every bound of a metrics query is refused with a message naming it.</summary>
public sealed class MetricsBoundsTests
{
    [Fact]
    public async Task More_series_than_allowed_is_refused_naming_MaxSeries()
    {
        var fixture = new MetricsFixture().Add(0, service: "a").Add(1, service: "b").Add(2, service: "c");
        fixture.Options.MaxSeries = 2;
        var engine = await fixture.EngineAsync(ingestMetrics: false);

        var error = await Assert.ThrowsAsync<TraceQLQueryException>(() =>
            engine.QueryRangeAsync(Request("{ } | rate() by (resource.service.name)", 0, Minute, Minute), CancellationToken.None).AsTask());

        Assert.Contains("MaxSeries", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quantiles_multiplying_series_past_the_bound_are_refused()
    {
        var fixture = new MetricsFixture().Add(0, service: "a").Add(1, service: "b");
        fixture.Options.MaxSeries = 3;
        var engine = await fixture.EngineAsync();

        var error = await Assert.ThrowsAsync<TraceQLQueryException>(() =>
            engine.QueryRangeAsync(Request("{ } | quantile_over_time(duration, 0.5, 0.9) by (resource.service.name)", 0, Minute, Minute), CancellationToken.None).AsTask());

        Assert.Contains("4 series", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxSeries", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_steps_are_refused_naming_MaxSamplesPerSeries()
    {
        var engine = await new MetricsFixture().EngineAsync();

        var error = await Assert.ThrowsAsync<TraceQLQueryException>(() =>
            engine.QueryRangeAsync(Request("{ } | rate()", 0, 48 * 60 * Minute, Second), CancellationToken.None).AsTask());

        Assert.Contains("172800 steps", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxSamplesPerSeries", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_range_wider_than_allowed_is_refused_naming_MaxMetricsRange()
    {
        var engine = await new MetricsFixture().EngineAsync();

        var error = await Assert.ThrowsAsync<TraceQLQueryException>(() =>
            engine.QueryRangeAsync(Request("{ } | rate()", 0, 4 * 24 * 60 * Minute, 60 * Minute), CancellationToken.None).AsTask());

        Assert.Contains("MaxMetricsRange", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_or_reversed_range_is_refused()
    {
        var engine = await new MetricsFixture().EngineAsync();

        var error = await Assert.ThrowsAsync<TraceQLQueryException>(() =>
            engine.QueryRangeAsync(Request("{ } | rate()", Minute, Minute, Minute), CancellationToken.None).AsTask());

        Assert.Contains("must be after start", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_search_query_is_refused_as_not_a_metrics_query()
    {
        var engine = await new MetricsFixture().EngineAsync();

        var error = await Assert.ThrowsAsync<TraceQLQueryException>(() =>
            engine.QueryRangeAsync(Request("{ status = error }", 0, Minute, Minute), CancellationToken.None).AsTask());

        Assert.Contains("not a metrics query", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_compare_window_ending_before_it_starts_is_refused()
    {
        var engine = await new MetricsFixture().Add(0).EngineAsync();

        var error = await Assert.ThrowsAsync<TraceQLQueryException>(() =>
            engine.QueryRangeAsync(Request("{ } | compare({ status = error }, 5, 200, 100)", 0, Minute, Minute), CancellationToken.None).AsTask());

        Assert.Contains("end (100) must be after its start (200)", error.Message, StringComparison.Ordinal);
    }
}
