using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Tracing;
using Threadline.Sdk.Export;
using Threadline.Sdk.Processing;

namespace Threadline.Sdk.Tests.Diagnostics;

public sealed class SdkEventSourceTests
{
    [Fact]
    public void Invalid_configuration_is_reported_as_an_event()
    {
        using var listener = new SdkEventListener();
        var marker = "not-a-number-" + Guid.NewGuid().ToString("N");

        using var tracing = TestTracing.Start(environment: new Dictionary<string, string> { ["OTEL_SPAN_EVENT_COUNT_LIMIT"] = marker });

        var written = Assert.Single(listener.Events, e => e.EventName == "InvalidConfiguration" && Equals(e.Payload?[1], marker));
        Assert.Equal("OTEL_SPAN_EVENT_COUNT_LIMIT", written.Payload![0]);
        Assert.Equal(EventLevel.Warning, written.Level);
    }

    [Fact]
    public async Task Export_failures_are_reported_with_the_exporter_name()
    {
        using var listener = new SdkEventListener();
        using var tracing = TestTracing.Start(o => o.AddExporter(new UniquelyNamedFailingExporter()), inMemoryExporter: false);
        using (tracing.Source.StartSpan("fails"))
        {
        }
        await tracing.Session.ForceFlushAsync().WaitAsync(Waiting.Patience);

        var written = Assert.Single(listener.Events, e => e.EventName == "ExportFailedEvent" && Equals(e.Payload?[0], nameof(UniquelyNamedFailingExporter)));
        Assert.Contains("collector unreachable", (string)written.Payload![1]!);
    }

    [Fact]
    public async Task Otlp_retries_and_failures_are_reported_with_the_endpoint_and_the_servers_answer()
    {
        using var listener = new SdkEventListener();
        await using var server = await Export.ScriptedOtlpServer.StartAsync(grpc: false);
        server.Enqueue(
            Export.ExporterHarness.Respond(503, configure: r => r.Headers.RetryAfter = "1"),
            Export.ExporterHarness.Respond(400));
        using var harness = Export.ExporterHarness.Http(server);
        var endpoint = harness.Exporter.Endpoint.ToString();

        using var source = Export.TestSpans.Source("events.otlp");
        Assert.Equal(ExportResult.Failure, await harness.ExportAsync(Export.TestSpans.Realistic(source, 1)));

        var retry = Assert.Single(listener.Events, e => e.EventName == "OtlpExportRetry" && Equals(e.Payload?[0], endpoint));
        Assert.Equal(EventLevel.Informational, retry.Level);
        Assert.Contains("503", (string)retry.Payload![1]!, StringComparison.Ordinal);
        var failure = Assert.Single(listener.Events, e => e.EventName == "OtlpExportProblem" && Equals(e.Payload?[0], endpoint));
        Assert.Equal(EventLevel.Warning, failure.Level);
        Assert.Contains("400", (string)failure.Payload![1]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Counters_report_queue_length_exported_dropped_and_failed_spans()
    {
        using var listener = new SdkEventListener(counterIntervalSeconds: 0.05);
        var (source, activityListener) = RecordingSource();
        using var _ = activityListener;

        var gated = new GatedExporter();
        using var stuck = new BatchSpanProcessor(gated, new BatchExportOptions { MaxQueueSize = 2, MaxExportBatchSize = 1, ScheduledDelay = TimeSpan.FromHours(1) });
        stuck.OnEnd(Ended(source));
        await gated.FirstExportStarted.WaitAsync(Waiting.Patience);
        for (var i = 0; i < 5; i++) stuck.OnEnd(Ended(source));
        Assert.Equal(3, stuck.DroppedSpans);

        using var failing = new BatchSpanProcessor(new UniquelyNamedFailingExporter(), new BatchExportOptions { ScheduledDelay = TimeSpan.FromHours(1) });
        failing.OnEnd(Ended(source));
        await failing.ForceFlushAsync(CancellationToken.None).WaitAsync(Waiting.Patience);

        using var working = new BatchSpanProcessor(new InMemorySpanExporter(), new BatchExportOptions { ScheduledDelay = TimeSpan.FromHours(1) });
        for (var i = 0; i < 4; i++) working.OnEnd(Ended(source));
        await working.ForceFlushAsync(CancellationToken.None).WaitAsync(Waiting.Patience);

        // Other tests run beside this one and add to the same counters, so totals are at least ours.
        await listener.WaitForCounters(
            counters => counters.Max("queue-length") >= 2
                && counters.Sum("spans-dropped") >= 3
                && counters.Sum("spans-exported") >= 4
                && counters.Sum("export-failures") >= 1).WaitAsync(Waiting.Patience);

        gated.Open();
    }

    private static Activity Ended(ActivitySource source)
    {
        var span = source.StartActivity("counted")!;
        span.Stop();
        return span;
    }

    private static (ActivitySource, ActivityListener) RecordingSource()
    {
        var source = TestTracing.UniqueSource();
        var listener = new ActivityListener
        {
            ShouldListenTo = s => ReferenceEquals(s, source),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return (source, listener);
    }

    private sealed class UniquelyNamedFailingExporter : SpanExporter
    {
        public override Task<ExportResult> ExportAsync(IReadOnlyList<Activity> batch, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("collector unreachable");
    }

    private sealed class SdkEventListener(double counterIntervalSeconds = 0) : EventListener
    {
        private readonly ConcurrentQueue<EventWrittenEventArgs> _events = new();
        private readonly CounterValues _counters = new();
        private readonly List<(Func<CounterValues, bool> Condition, TaskCompletionSource Done)> _waiters = [];

        public IReadOnlyList<EventWrittenEventArgs> Events => [.. _events];

        public Task WaitForCounters(Func<CounterValues, bool> condition)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_waiters)
            {
                if (condition(_counters)) done.TrySetResult();
                else _waiters.Add((condition, done));
            }
            return done.Task;
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name != "Threadline-Sdk") return;
            var arguments = new Dictionary<string, string?>();
            var interval = counterIntervalSeconds;
            if (interval > 0) arguments["EventCounterIntervalSec"] = interval.ToString(System.Globalization.CultureInfo.InvariantCulture);
            EnableEvents(eventSource, EventLevel.Verbose, EventKeywords.All, arguments);
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (eventData.EventName != "EventCounters")
            {
                _events.Enqueue(eventData);
                return;
            }
            if (eventData.Payload?[0] is not IDictionary<string, object> payload) return;
            var name = (string)payload["Name"];
            var value = payload.TryGetValue("Increment", out var increment) ? Convert.ToDouble(increment, System.Globalization.CultureInfo.InvariantCulture)
                : Convert.ToDouble(payload["Mean"], System.Globalization.CultureInfo.InvariantCulture);
            lock (_waiters)
            {
                _counters.Add(name, value);
                foreach (var (condition, done) in _waiters)
                {
                    if (condition(_counters)) done.TrySetResult();
                }
            }
        }
    }

    private sealed class CounterValues
    {
        private readonly Dictionary<string, List<double>> _values = [];

        public void Add(string name, double value)
        {
            if (!_values.TryGetValue(name, out var list)) _values[name] = list = [];
            list.Add(value);
        }

        public double Sum(string name) => _values.TryGetValue(name, out var list) ? list.Sum() : 0;

        public double Max(string name) => _values.TryGetValue(name, out var list) && list.Count > 0 ? list.Max() : 0;
    }
}
