using Threadline.Demo.Hosting;

namespace Threadline.IntegrationTests;

/// <summary>
/// The demo supervisor's report of failed exports: the first at once, naming the endpoint, then at
/// most one summary per interval, however many services fail how often.
/// </summary>
public sealed class ExportFailureLogTests
{
    private static readonly Uri Endpoint = new("http://127.0.0.1:4319/");

    [Fact]
    public void First_failure_is_reported_at_once_naming_the_endpoint_and_the_service()
    {
        var output = new StringWriter();
        var log = new ExportFailureLog(output, Endpoint, new ManualClock());

        log.Report("order-service", "could not reach http://127.0.0.1:4319/: Connection refused");

        var line = Assert.Single(Lines(output));
        Assert.StartsWith("warning: spans are not reaching http://127.0.0.1:4319/: order-service: could not reach", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Later_failures_are_summarised_once_per_interval()
    {
        var output = new StringWriter();
        var clock = new ManualClock();
        var log = new ExportFailureLog(output, Endpoint, clock);

        log.Report("order-service", "refused");
        clock.Advance(TimeSpan.FromSeconds(1));
        log.Report("payment-service", "refused");
        log.Report("order-service", "refused");
        clock.Advance(ExportFailureLog.Interval - TimeSpan.FromSeconds(2));
        log.Report("api-gateway", "refused");
        Assert.Single(Lines(output));

        clock.Advance(TimeSpan.FromSeconds(1));
        log.Report("inventory-service", "timed out");

        var summary = Lines(output)[1];
        Assert.Equal("warning: still failing to export to http://127.0.0.1:4319/: 4 failed export(s) from api-gateway, inventory-service, order-service, payment-service since the last report; latest: timed out.", summary);

        log.Report("order-service", "refused");
        Assert.Equal(2, Lines(output).Length);
    }

    private static string[] Lines(StringWriter output) => output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
