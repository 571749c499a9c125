using System.Diagnostics;
using Threadline.Sdk.Export;

namespace Threadline.Sdk.Tests.Processing;

public sealed class ExporterTests
{
    [Fact]
    public void Console_exporter_prints_a_tree_per_trace()
    {
        var output = new StringWriter();
        using var tracing = TestTracing.Start(o =>
        {
            o.ServiceName = "checkout";
            o.UseConsoleExporter(output);
        });

        string traceId;
        using (var root = tracing.Source.StartSpan("GET /orders", ActivityKind.Server))
        {
            traceId = root!.TraceId.ToHexString();
            root.SetAttribute("http.request.method", "GET");
            using (var child = tracing.Source.StartSpan("SELECT orders", ActivityKind.Client))
            {
                child.SetAttribute("db.system.name", "postgresql");
                child.RecordException(new TimeoutException("timeout"));
                child.SetSpanStatus(ActivityStatusCode.Error, "timeout");
                using (tracing.Source.StartSpan("read row"))
                {
                }
            }
            Assert.Equal("", output.ToString());
            root.SetSpanStatus(ActivityStatusCode.Ok);
        }

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"trace {traceId} (checkout)", lines[0]);
        Assert.Matches(@"^  GET /orders \[Server\] \d+(\.\d+)? ms Ok \{http.request.method=GET\}$", lines[1]);
        Assert.Matches(@"^    SELECT orders \[Client\] \d+(\.\d+)? ms Error: timeout \{db.system.name=postgresql\}$", lines[2]);
        Assert.StartsWith("      * exception {exception.type=System.TimeoutException, exception.message=timeout, exception.stacktrace=", lines[3]);
        Assert.Matches(@"^      read row \[Internal\] \d+(\.\d+)? ms Unset$", lines[4]);
        Assert.Equal(5, lines.Length);
    }

    [Fact]
    public void Console_exporter_prints_waiting_spans_on_flush()
    {
        var output = new StringWriter();
        var exporter = new ConsoleSpanExporter(output);
        using var source = TestTracing.UniqueSource();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => ReferenceEquals(s, source),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var parent = source.StartActivity("still running")!;
        var child = source.StartActivity("finished")!;
        child.Stop();

        exporter.ExportAsync([child], CancellationToken.None).GetAwaiter().GetResult();
        Assert.Equal("", output.ToString());
        exporter.ForceFlushAsync(CancellationToken.None).GetAwaiter().GetResult();

        Assert.Contains("  finished [Internal]", output.ToString());
    }

    [Fact]
    public void In_memory_exporter_collects_into_the_given_collection()
    {
        var spans = new List<Activity>();
        using var tracing = TestTracing.Start(o => o.UseInMemoryExporter(spans), inMemoryExporter: false);
        using (tracing.Source.StartSpan("one"))
        {
        }
        Assert.Equal("one", Assert.Single(spans).DisplayName);
    }

    [Fact]
    public void In_memory_exporter_can_be_cleared()
    {
        using var tracing = TestTracing.Start();
        using (tracing.Source.StartSpan("one"))
        {
        }
        tracing.Exporter.Clear();
        Assert.Empty(tracing.Spans);
    }
}
