using System.Diagnostics.Metrics;
using Threadline.Server.Metrics;

namespace Threadline.Server.Tests.Metrics;

public sealed class PrometheusTextFormatTests
{
    [Fact]
    public void Counters_gauges_and_histograms_are_written_as_version_0_0_4_text()
    {
        using var meter = new Meter("Threadline.Format.Test");
        using var collector = new MetricsCollector(meter);
        var requests = meter.CreateCounter<long>("demo_requests", "{request}", "Requests seen.\nSecond line with a \\ backslash.");
        meter.CreateObservableGauge("demo_queue_spans", () => 42L, "{span}", "Spans waiting.");
        meter.CreateObservableCounter("demo_evicted", () => 7L, "{trace}", "Traces evicted.");
        var updown = meter.CreateUpDownCounter<long>("demo_connections", "{connection}", "Open connections.");
        var duration = meter.CreateHistogram("demo_duration_seconds", "s", "Append time.", tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 1] });

        requests.Add(3, new KeyValuePair<string, object?>("protocol", "otlp_http"), new KeyValuePair<string, object?>("outcome", "accepted"));
        requests.Add(2, new KeyValuePair<string, object?>("outcome", "accepted"), new KeyValuePair<string, object?>("protocol", "otlp_http"));
        requests.Add(1, new KeyValuePair<string, object?>("protocol", "we\"ird\\pro\ntocol"), new KeyValuePair<string, object?>("outcome", "malformed"));
        updown.Add(5);
        updown.Add(-2);
        duration.Record(0.05);
        duration.Record(0.5);
        duration.Record(0.7);
        duration.Record(4);

        var text = PrometheusTextFormat.Write(collector.Collect());
        var parsed = PrometheusText.Parse(text);

        Assert.Equal("counter", parsed.Types["demo_requests_total"]);
        Assert.Equal("Requests seen.\\nSecond line with a \\\\ backslash.", parsed.Help["demo_requests_total"]);
        Assert.Equal(5, parsed.Value("demo_requests_total", ("protocol", "otlp_http"), ("outcome", "accepted")));
        // Escaped on the wire, and read back as it was recorded.
        Assert.Contains("protocol=\"we\\\"ird\\\\pro\\ntocol\"", text, StringComparison.Ordinal);
        Assert.Equal(1, parsed.Value("demo_requests_total", ("protocol", "we\"ird\\pro\ntocol")));

        Assert.Equal("gauge", parsed.Types["demo_queue_spans"]);
        Assert.Equal(42, parsed.Value("demo_queue_spans"));
        Assert.Equal("counter", parsed.Types["demo_evicted_total"]);
        Assert.Equal(7, parsed.Value("demo_evicted_total"));
        Assert.Equal("gauge", parsed.Types["demo_connections"]);
        Assert.Equal(3, parsed.Value("demo_connections"));

        Assert.Equal("histogram", parsed.Types["demo_duration_seconds"]);
        Assert.Equal(1, parsed.Value("demo_duration_seconds_bucket", ("le", "0.1")));
        Assert.Equal(3, parsed.Value("demo_duration_seconds_bucket", ("le", "1")));
        Assert.Equal(4, parsed.Value("demo_duration_seconds_bucket", ("le", "+Inf")));
        Assert.Equal(4, parsed.Value("demo_duration_seconds_count"));
        Assert.Equal(5.25, parsed.Value("demo_duration_seconds_sum"), precision: 9);
    }

    [Fact]
    public void Observable_counters_report_their_running_total_not_a_sum_of_scrapes()
    {
        using var meter = new Meter("Threadline.Format.Test");
        using var collector = new MetricsCollector(meter);
        long total = 10;
        meter.CreateObservableCounter("demo_things", () => total);

        collector.Collect();
        total = 12;
        var parsed = PrometheusText.Parse(PrometheusTextFormat.Write(collector.Collect()));

        Assert.Equal(12, parsed.Value("demo_things_total"));
    }

    [Fact]
    public void Instruments_of_another_meter_with_the_same_name_are_not_heard()
    {
        using var mine = new Meter("Threadline.Server");
        using var theirs = new Meter("Threadline.Server");
        using var collector = new MetricsCollector(mine);
        mine.CreateCounter<long>("demo_spans").Add(2);
        theirs.CreateCounter<long>("demo_spans").Add(100);

        var parsed = PrometheusText.Parse(PrometheusTextFormat.Write(collector.Collect()));

        Assert.Equal(2, parsed.Value("demo_spans_total"));
    }

    [Theory]
    [InlineData("threadline.store.spans", "threadline_store_spans")]
    [InlineData("9lives", "_lives")]
    [InlineData("ok_name:sub", "ok_name:sub")]
    public void Names_are_made_valid(string name, string expected) =>
        Assert.Equal(expected, PrometheusTextFormat.SanitizeName(name));
}
