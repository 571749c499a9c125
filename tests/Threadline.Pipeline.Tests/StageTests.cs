using Threadline.Pipeline.Stages;
using Threadline.Testing;

namespace Threadline.Pipeline.Tests;

/// <summary>The last stages: the store writer and the decode-only discarder, behind the queue.</summary>
public sealed class StageTests
{
    [Fact]
    public async Task The_queue_hands_batches_to_its_first_stage_and_completes_tickets_after_it()
    {
        var stage = new RecordingStage();
        await using var queue = new IngestQueue(stage, new IngestQueueOptions { Workers = 1 });
        var batch = Spans.Batch(4);

        await queue.TryEnqueue(batch)!.Completion.Guarded();

        Assert.Equal(batch, Assert.Single(stage.Batches));
        Assert.Equal(4, queue.Statistics.ConsumedSpans);
    }

    [Fact]
    public async Task A_stage_that_throws_faults_the_ticket_and_the_failure_is_counted()
    {
        var stage = new RecordingStage { Failure = new InvalidOperationException("disk full") };
        await using var queue = new IngestQueue(stage, new IngestQueueOptions { Workers = 1 });

        var ticket = queue.TryEnqueue(Spans.Batch(3))!;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ticket.Completion.Guarded());
        Assert.Equal("disk full", error.Message);
        Assert.Equal((3L, 1L, 0L), (queue.Statistics.FailedSpans, queue.Statistics.FailedAppends, queue.Statistics.ConsumedSpans));
    }

    [Fact]
    public async Task Store_writer_completes_only_after_the_store_accepted_and_counts_and_times_the_append()
    {
        using var metrics = new RecordedMetrics();
        var store = new GatedStore();
        var writer = new StoreWriter(store, metrics.Meter);
        var batch = Spans.Batch(5);

        var append = writer.ConsumeAsync(batch, CancellationToken.None).AsTask();
        await store.AppendEnteredAsync().Guarded();
        Assert.False(append.IsCompleted);
        Assert.Equal(0, metrics.Sum("threadline_store_spans"));

        store.Open();
        await append.Guarded();
        Assert.Equal(5, store.StoredSpans);
        Assert.Equal(5, metrics.Sum("threadline_store_spans"));
    }

    [Fact]
    public async Task Store_writer_counts_a_failed_append_and_rethrows()
    {
        using var metrics = new RecordedMetrics();
        var store = new GatedStore(gateOpen: true) { Failure = new IOException("fsync failed") };
        var writer = new StoreWriter(store, metrics.Meter);

        await Assert.ThrowsAsync<IOException>(() => writer.ConsumeAsync(Spans.Batch(2), CancellationToken.None).AsTask().Guarded());

        Assert.Equal(1, metrics.Sum("threadline_store_append_failures"));
        Assert.Equal(0, metrics.Sum("threadline_store_spans"));
    }

    [Fact]
    public async Task Decode_only_discarder_acknowledges_through_the_queue_and_counts_every_span_it_drops()
    {
        using var metrics = new RecordedMetrics();
        await using var queue = new IngestQueue(new DecodeOnlyDiscarder(new DroppedSpans(metrics.Meter)), new IngestQueueOptions());

        await queue.TryEnqueue(Spans.Batch(7))!.Completion.Guarded();
        await queue.TryEnqueue(Spans.Batch(2))!.Completion.Guarded();

        Assert.Equal(9, metrics.Sum("threadline_spans_dropped", "reason", DroppedSpans.DecodeOnly));
        Assert.Equal(9, queue.Statistics.ConsumedSpans);
    }
}
