using Threadline.Sdk.Diagnostics;
using Threadline.Sdk.Tests.Export;

namespace Threadline.Sdk.Tests.Diagnostics;

public sealed class ExportHealthReporterTests
{
    private const string Destination = "http://collector:4317/ (grpc)";

    private readonly RecordingDiagnosticsWriter _writer = new();
    private readonly ManualTimeProvider _time = new();
    private readonly ExportHealthReporter _reporter;

    public ExportHealthReporterTests() => _reporter = new ExportHealthReporter(_writer, Destination, TimeSpan.FromMinutes(1), _time);

    [Fact]
    public void First_failure_names_the_destination_the_error_what_to_check_and_how_to_turn_it_off()
    {
        _reporter.ExportFailed(12, "could not reach it", "is the collector running");

        var (level, message) = Assert.Single(_writer.Messages);
        Assert.Equal("warning", level);
        Assert.Contains(Destination, message, StringComparison.Ordinal);
        Assert.Contains("could not reach it", message, StringComparison.Ordinal);
        Assert.Contains("What to check: is the collector running", message, StringComparison.Ordinal);
        Assert.Contains("12 spans lost", message, StringComparison.Ordinal);
        Assert.Contains("THREADLINE_SDK_DIAGNOSTICS=off", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Later_failures_are_summarized_at_most_once_per_interval_with_counts_and_the_last_error()
    {
        _reporter.ExportFailed(1, "first", null);
        _time.Advance(TimeSpan.FromSeconds(20));
        _reporter.ExportFailed(5, "second", null);
        _time.Advance(TimeSpan.FromSeconds(20));
        _reporter.ExportFailed(7, "third", "check the port");
        Assert.Single(_writer.Messages);

        _time.Advance(TimeSpan.FromSeconds(20));
        _reporter.ExportFailed(10, "fourth", "check the port");

        Assert.Equal(2, _writer.Messages.Count);
        var summary = _writer.Messages[1].Message;
        Assert.Contains("still failing", summary, StringComparison.Ordinal);
        Assert.Contains("3 failed export(s) and 22 spans lost in the last 1 min", summary, StringComparison.Ordinal);
        Assert.Contains("Last error: fourth", summary, StringComparison.Ordinal);
        Assert.Contains("What to check: check the port", summary, StringComparison.Ordinal);

        _time.Advance(TimeSpan.FromSeconds(59));
        _reporter.ExportFailed(1, "fifth", null);
        Assert.Equal(2, _writer.Messages.Count);
    }

    [Fact]
    public void Success_after_failures_says_once_that_export_works_again()
    {
        _reporter.ExportSucceeded();
        Assert.Empty(_writer.Messages);

        _reporter.ExportFailed(3, "refused", null);
        _reporter.ExportFailed(4, "refused", null);
        _reporter.ExportSucceeded();
        _reporter.ExportSucceeded();

        Assert.Equal(2, _writer.Messages.Count);
        var (level, message) = _writer.Messages[1];
        Assert.Equal("info", level);
        Assert.Contains($"export to {Destination} works again", message, StringComparison.Ordinal);
        Assert.Contains("1 more failed export(s) and 4 spans lost", message, StringComparison.Ordinal);

        // A new streak starts with a full first-failure message again.
        _reporter.ExportFailed(2, "refused again", null);
        Assert.Contains("spans are not reaching", _writer.Messages[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Close_summarizes_failures_not_yet_reported_and_nothing_otherwise()
    {
        _reporter.ExportFailed(1, "first", null);
        _reporter.Close();
        Assert.Single(_writer.Messages);

        _reporter.ExportFailed(6, "at exit", null);
        _reporter.Close();

        Assert.Equal(2, _writer.Messages.Count);
        Assert.Contains("1 failed export(s) and 6 spans lost", _writer.Messages[1].Message, StringComparison.Ordinal);
        _reporter.Close();
        Assert.Equal(2, _writer.Messages.Count);
    }
}
