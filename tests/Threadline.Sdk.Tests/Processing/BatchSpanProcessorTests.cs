using System.Diagnostics;
using Threadline.Sdk.Export;
using Threadline.Sdk.Processing;

namespace Threadline.Sdk.Tests.Processing;

public sealed class BatchSpanProcessorTests
{
    private static Activity EndedSpan(ActivitySource source, string name = "span")
    {
        var span = source.StartActivity(name)!;
        span.Stop();
        return span;
    }

    private static (ActivitySource Source, ActivityListener Listener) RecordingSource([System.Runtime.CompilerServices.CallerMemberName] string test = "")
    {
        var source = TestTracing.UniqueSource(test);
        var listener = new ActivityListener
        {
            ShouldListenTo = s => ReferenceEquals(s, source),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        return (source, listener);
    }

    [Fact]
    public async Task Spans_are_dropped_and_counted_when_the_queue_is_full_and_ending_never_blocks()
    {
        var (source, listener) = RecordingSource();
        using var _ = listener;
        var exporter = new GatedExporter();
        using var processor = new BatchSpanProcessor(exporter, new BatchExportOptions { MaxQueueSize = 4, MaxExportBatchSize = 2, ScheduledDelay = TimeSpan.FromHours(1) });

        // Two spans fill a batch; the export loop takes them and then waits on the closed gate.
        processor.OnEnd(EndedSpan(source));
        processor.OnEnd(EndedSpan(source));
        await exporter.FirstExportStarted.WaitAsync(Waiting.Patience);

        // With the exporter stuck, the queue takes four more and drops the rest, without waiting.
        for (var i = 0; i < 10; i++) processor.OnEnd(EndedSpan(source));

        Assert.Equal(4, processor.QueueLength);
        Assert.Equal(6, processor.DroppedSpans);

        exporter.Open();
        Assert.True(await processor.ForceFlushAsync(CancellationToken.None).WaitAsync(Waiting.Patience));
        Assert.Equal(6, exporter.Exported.Count);
        Assert.All(exporter.BatchSizes, size => Assert.InRange(size, 1, 2));
    }

    [Fact]
    public async Task ForceFlush_exports_everything_queued()
    {
        var (source, listener) = RecordingSource();
        using var _ = listener;
        var exporter = new InMemorySpanExporter();
        using var processor = new BatchSpanProcessor(exporter, new BatchExportOptions { MaxExportBatchSize = 3, ScheduledDelay = TimeSpan.FromHours(1) });
        for (var i = 0; i < 10; i++) processor.OnEnd(EndedSpan(source, "s" + i));

        Assert.True(await processor.ForceFlushAsync(CancellationToken.None).WaitAsync(Waiting.Patience));

        Assert.Equal(Enumerable.Range(0, 10).Select(i => "s" + i), exporter.Spans.Select(s => s.DisplayName));
        Assert.Equal(0, processor.QueueLength);
    }

    [Fact]
    public async Task A_full_batch_is_exported_without_waiting_for_the_delay()
    {
        var (source, listener) = RecordingSource();
        using var _ = listener;
        var exporter = new GatedExporter();
        exporter.Open();
        using var processor = new BatchSpanProcessor(exporter, new BatchExportOptions { MaxExportBatchSize = 2, ScheduledDelay = TimeSpan.FromHours(1) });

        processor.OnEnd(EndedSpan(source));
        processor.OnEnd(EndedSpan(source));

        await exporter.FirstExportStarted.WaitAsync(Waiting.Patience);
    }

    [Fact]
    public async Task After_a_full_batch_the_rest_waits_for_the_next_full_batch_or_a_flush()
    {
        var (source, listener) = RecordingSource();
        using var _ = listener;
        BatchSpanProcessor? processor = null;
        // Two spans end while the first batch is being exported, as they do under steady load.
        var exporter = new CallRecordingExporter(duringFirstCall: () =>
        {
            processor!.OnEnd(EndedSpan(source));
            processor.OnEnd(EndedSpan(source));
        });
        using var owned = processor = new BatchSpanProcessor(exporter, new BatchExportOptions { MaxExportBatchSize = 4, ScheduledDelay = TimeSpan.FromHours(1) });

        for (var i = 0; i < 4; i++) processor.OnEnd(EndedSpan(source));
        await exporter.FirstCallDone.WaitAsync(Waiting.Patience);
        exporter.FlushRequested = true;
        Assert.True(await processor.ForceFlushAsync(CancellationToken.None).WaitAsync(Waiting.Patience));

        // The two went out only when the flush asked, not on the heels of the full batch.
        Assert.Equal([(4, false), (2, true)], exporter.Calls);
    }

    [Fact]
    public async Task Shutdown_exports_what_is_queued_then_refuses_new_spans()
    {
        var (source, listener) = RecordingSource();
        using var _ = listener;
        var exporter = new InMemorySpanExporter();
        var processor = new BatchSpanProcessor(exporter, new BatchExportOptions { ScheduledDelay = TimeSpan.FromHours(1) });
        processor.OnEnd(EndedSpan(source));
        processor.OnEnd(EndedSpan(source));

        await processor.ShutdownAsync(CancellationToken.None).WaitAsync(Waiting.Patience);
        processor.OnEnd(EndedSpan(source));

        Assert.Equal(2, exporter.Spans.Count);
        Assert.Equal(1, processor.DroppedSpans);
        processor.Dispose();
    }

    [Fact]
    public void Unsampled_spans_are_not_queued()
    {
        using var source = TestTracing.UniqueSource();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => ReferenceEquals(s, source),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
        };
        ActivitySource.AddActivityListener(listener);
        using var processor = new BatchSpanProcessor(new InMemorySpanExporter());
        processor.OnEnd(EndedSpan(source));
        Assert.Equal(0, processor.QueueLength);
        Assert.Equal(0, processor.DroppedSpans);
    }

    [Fact]
    public async Task Many_threads_ending_spans_lose_nothing_below_capacity()
    {
        var (source, listener) = RecordingSource();
        using var _ = listener;
        var exporter = new InMemorySpanExporter();
        using var processor = new BatchSpanProcessor(exporter, new BatchExportOptions { MaxQueueSize = 10_000, MaxExportBatchSize = 64, ScheduledDelay = TimeSpan.FromHours(1) });
        var spans = Enumerable.Range(0, 4000).Select(i => EndedSpan(source, "s" + i)).ToArray();

        Parallel.ForEach(spans, processor.OnEnd);
        Assert.True(await processor.ForceFlushAsync(CancellationToken.None).WaitAsync(Waiting.Patience));

        Assert.Equal(0, processor.DroppedSpans);
        Assert.Equal(spans.Select(s => s.DisplayName).Order(), exporter.Spans.Select(s => s.DisplayName).Order());
    }

    [Fact]
    public async Task Export_failures_do_not_stop_the_loop()
    {
        var (source, listener) = RecordingSource();
        using var _ = listener;
        var exporter = new FailingExporter();
        using var processor = new BatchSpanProcessor(exporter, new BatchExportOptions { ScheduledDelay = TimeSpan.FromHours(1) });
        processor.OnEnd(EndedSpan(source));
        Assert.True(await processor.ForceFlushAsync(CancellationToken.None).WaitAsync(Waiting.Patience));
        processor.OnEnd(EndedSpan(source));
        Assert.True(await processor.ForceFlushAsync(CancellationToken.None).WaitAsync(Waiting.Patience));
        Assert.Equal(2, exporter.Calls);
    }

    [Fact]
    public async Task The_export_is_cancelled_after_the_export_timeout()
    {
        var (source, listener) = RecordingSource();
        using var _ = listener;
        var exporter = new WaitForCancellationExporter();
        using var processor = new BatchSpanProcessor(exporter, new BatchExportOptions { ExportTimeout = TimeSpan.FromMilliseconds(1), ScheduledDelay = TimeSpan.FromHours(1) });
        processor.OnEnd(EndedSpan(source));
        Assert.True(await processor.ForceFlushAsync(CancellationToken.None).WaitAsync(Waiting.Patience));
        Assert.True(exporter.WasCancelled);
    }

    [Fact]
    public void Simple_processor_exports_each_sampled_span_on_end()
    {
        var (source, listener) = RecordingSource();
        using var _ = listener;
        var exporter = new InMemorySpanExporter();
        using var processor = new SimpleSpanProcessor(exporter);
        var span = EndedSpan(source);
        processor.OnEnd(span);
        Assert.Same(span, Assert.Single(exporter.Spans));
    }

    private sealed class CallRecordingExporter(Action duringFirstCall) : SpanExporter
    {
        private readonly TaskCompletionSource _firstCallDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<(int Size, bool AfterFlush)> _calls = [];

        /// <summary>Set by the test just before it flushes: tells the calls the flush caused from the others.</summary>
        public volatile bool FlushRequested;

        public Task FirstCallDone => _firstCallDone.Task;

        public IReadOnlyList<(int Size, bool AfterFlush)> Calls
        {
            get
            {
                lock (_calls) return [.. _calls];
            }
        }

        public override Task<ExportResult> ExportAsync(IReadOnlyList<Activity> batch, CancellationToken cancellationToken)
        {
            int calls;
            lock (_calls)
            {
                _calls.Add((batch.Count, FlushRequested));
                calls = _calls.Count;
            }
            if (calls == 1)
            {
                duringFirstCall();
                _firstCallDone.SetResult();
            }
            return Task.FromResult(ExportResult.Success);
        }
    }

    private sealed class FailingExporter : SpanExporter
    {
        public int Calls { get; private set; }

        public override Task<ExportResult> ExportAsync(IReadOnlyList<Activity> batch, CancellationToken cancellationToken)
        {
            Calls++;
            if (Calls == 1) throw new InvalidOperationException("collector down");
            return Task.FromResult(ExportResult.Failure);
        }
    }

    private sealed class WaitForCancellationExporter : SpanExporter
    {
        public bool WasCancelled { get; private set; }

        public override async Task<ExportResult> ExportAsync(IReadOnlyList<Activity> batch, CancellationToken cancellationToken)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                WasCancelled = true;
            }
            return ExportResult.Failure;
        }
    }
}
