using Threadline.Pipeline.Stages;
using Threadline.Testing;
namespace Threadline.Pipeline.Tests;

public sealed class IngestQueueTests
{
    private static IngestQueueOptions OneWorker(int maxQueuedSpans = 1_000, int maxSpansPerAppend = 8_192) =>
        new() { Workers = 1, MaxQueuedSpans = maxQueuedSpans, MaxSpansPerAppend = maxSpansPerAppend };

    [Fact]
    public async Task Enqueued_spans_reach_the_store_and_complete_the_ticket()
    {
        await using var ingest = Ingest.Start(new IngestQueueOptions(), new GatedStore(gateOpen: true));
        var (store, queue) = (ingest.Store, ingest.Queue);
        var batch = Spans.Batch(5);

        var ticket = Assert.IsType<IngestTicket>(queue.TryEnqueue(batch));
        await ticket.Completion.Guarded();

        Assert.Equal(5, ticket.SpanCount);
        Assert.Equal(5, store.StoredSpans);
        Assert.Equal(5, (await store.GetTraceAsync(batch[0].TraceId, CancellationToken.None)).Count);
        var statistics = queue.Statistics;
        Assert.Equal((5L, 1L, 5L, 0L, 0L), (statistics.AcceptedSpans, statistics.AcceptedRequests, statistics.ConsumedSpans, statistics.QueuedSpans, statistics.FailedSpans));
    }

    [Fact]
    public async Task Ticket_stays_incomplete_while_the_store_has_not_accepted()
    {
        await using var ingest = Ingest.Start(OneWorker());
        var (store, queue) = (ingest.Store, ingest.Queue);

        var ticket = queue.TryEnqueue(Spans.Batch(3))!;
        await store.AppendEnteredAsync().Guarded();

        Assert.False(ticket.Completion.IsCompleted);
        Assert.Equal(0, store.StoredSpans);
        Assert.Equal(0, queue.Statistics.ConsumedSpans);

        store.Open();
        await ticket.Completion.Guarded();
        Assert.Equal(3, store.StoredSpans);
    }

    [Fact]
    public async Task Spans_being_appended_still_count_against_the_bound()
    {
        await using var ingest = Ingest.Start(OneWorker(maxQueuedSpans: 10));
        var (store, queue) = (ingest.Store, ingest.Queue);

        var first = queue.TryEnqueue(Spans.Batch(10))!;
        await store.AppendEnteredAsync().Guarded();

        // The worker has taken the submission off the queue, but the store has not accepted it.
        Assert.Equal(10, queue.Statistics.QueuedSpans);
        Assert.Null(queue.TryEnqueue(Spans.Batch(1)));

        store.Open();
        await first.Completion.Guarded();
        Assert.Equal(0, queue.Statistics.QueuedSpans);
    }

    [Fact]
    public async Task TryEnqueue_refuses_what_would_exceed_the_bound_and_counts_the_refusal()
    {
        await using var ingest = Ingest.Start(OneWorker(maxQueuedSpans: 10));
        var (store, queue) = (ingest.Store, ingest.Queue);

        var first = queue.TryEnqueue(Spans.Batch(6));
        var second = queue.TryEnqueue(Spans.Batch(4));
        var refused = queue.TryEnqueue(Spans.Batch(1));
        var refusedToo = queue.TryEnqueue(Spans.Batch(7));

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(refused);
        Assert.Null(refusedToo);
        var statistics = queue.Statistics;
        Assert.Equal((10L, 2L), (statistics.AcceptedSpans, statistics.AcceptedRequests));
        Assert.Equal((8L, 2L), (statistics.RejectedSpans, statistics.RejectedRequests));
        Assert.Equal((10L, 10L), (statistics.QueuedSpans, statistics.PeakQueuedSpans));
    }

    [Fact]
    public async Task Opening_the_gate_completes_waiting_tickets_and_makes_room_for_new_work()
    {
        await using var ingest = Ingest.Start(OneWorker(maxQueuedSpans: 10));
        var (store, queue) = (ingest.Store, ingest.Queue);
        var waiting = new[] { queue.TryEnqueue(Spans.Batch(5))!, queue.TryEnqueue(Spans.Batch(5))! };
        Assert.Null(queue.TryEnqueue(Spans.Batch(5)));

        store.Open();
        await Task.WhenAll(waiting.Select(t => t.Completion)).Guarded();

        var later = queue.TryEnqueue(Spans.Batch(10));
        Assert.NotNull(later);
        await later.Completion.Guarded();
        Assert.Equal(20, store.StoredSpans);
        Assert.Equal((20L, 5L, 1L), (queue.Statistics.ConsumedSpans, queue.Statistics.RejectedSpans, queue.Statistics.RejectedRequests));
    }

    [Fact]
    public async Task A_submission_larger_than_the_bound_is_admitted_only_when_nothing_is_queued()
    {
        await using var ingest = Ingest.Start(OneWorker(maxQueuedSpans: 10));
        var (store, queue) = (ingest.Store, ingest.Queue);

        var huge = queue.TryEnqueue(Spans.Batch(25));
        var next = queue.TryEnqueue(Spans.Batch(1));

        Assert.NotNull(huge);
        Assert.Null(next);
        Assert.Equal(25, queue.Statistics.PeakQueuedSpans);
        store.Open();
        await huge.Completion.Guarded();
        Assert.Equal(25, store.StoredSpans);
    }

    [Fact]
    public async Task An_empty_submission_is_complete_at_once_without_reaching_the_store()
    {
        await using var ingest = Ingest.Start(OneWorker());
        var (store, queue) = (ingest.Store, ingest.Queue);

        var ticket = queue.TryEnqueue([]);

        Assert.NotNull(ticket);
        Assert.True(ticket.Completion.IsCompletedSuccessfully);
        Assert.Equal(0, queue.Statistics.AcceptedRequests);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_store_failure_faults_the_tickets_of_that_append_is_counted_and_the_queue_keeps_going(bool synchronously)
    {
        var outage = new IOException("disk full");
        await using var ingest = Ingest.Start(OneWorker(), new GatedStore { Failure = outage, FailSynchronously = synchronously });
        var (store, queue) = (ingest.Store, ingest.Queue);

        var first = queue.TryEnqueue(Spans.Batch(4))!;
        await store.AppendEnteredAsync().Guarded();
        var second = queue.TryEnqueue(Spans.Batch(3))!;
        store.Open();

        // Both fail: the first alone, the second in the next append, still failing.
        Assert.Same(outage, await Assert.ThrowsAsync<IOException>(() => first.Completion.Guarded()));
        Assert.Same(outage, await Assert.ThrowsAsync<IOException>(() => second.Completion.Guarded()));
        var afterOutage = queue.Statistics;
        Assert.Equal((2L, 7L, 0L, 0L), (afterOutage.FailedAppends, afterOutage.FailedSpans, afterOutage.QueuedSpans, afterOutage.ConsumedSpans));

        store.Failure = null;
        var recovered = queue.TryEnqueue(Spans.Batch(2))!;
        await recovered.Completion.Guarded();

        Assert.Equal(2, store.StoredSpans);
        Assert.Equal((2L, 2L), (queue.Statistics.FailedAppends, queue.Statistics.ConsumedSpans));
    }

    [Fact]
    public async Task Workers_gather_queued_submissions_into_one_append_up_to_the_append_size()
    {
        await using var ingest = Ingest.Start(OneWorker(maxSpansPerAppend: 5));
        var (store, queue) = (ingest.Store, ingest.Queue);

        var first = queue.TryEnqueue(Spans.Batch(2))!;
        await store.AppendEnteredAsync().Guarded();
        var rest = new[] { queue.TryEnqueue(Spans.Batch(2))!, queue.TryEnqueue(Spans.Batch(2))!, queue.TryEnqueue(Spans.Batch(2))! };
        store.Open();
        await Task.WhenAll(rest.Append(first).Select(t => t.Completion)).Guarded();

        // The first was appended alone while the others queued up behind the gate; of those,
        // two fit in one append and the third opened the next.
        Assert.Equal([2, 4, 2], store.AcceptedAppendSizes);
    }

    [Fact]
    public async Task A_submission_larger_than_the_append_size_is_appended_whole()
    {
        await using var ingest = Ingest.Start(OneWorker(maxSpansPerAppend: 5), new GatedStore(gateOpen: true));
        var (store, queue) = (ingest.Store, ingest.Queue);

        await queue.TryEnqueue(Spans.Batch(12))!.Completion.Guarded();

        Assert.Equal([12], store.AcceptedAppendSizes);
    }

    [Fact]
    public async Task StopAsync_drains_what_was_admitted_and_refuses_what_comes_after()
    {
        await using var ingest = Ingest.Start(new IngestQueueOptions { Workers = 2, MaxSpansPerAppend = 3 });
        var (store, queue) = (ingest.Store, ingest.Queue);
        var admitted = Enumerable.Range(0, 10).Select(_ => queue.TryEnqueue(Spans.Batch(2))!).ToArray();

        var stopping = queue.StopAsync(CancellationToken.None);
        var late = queue.TryEnqueue(Spans.Batch(4));

        Assert.Null(late);
        Assert.False(stopping.IsCompleted);
        store.Open();
        await stopping.Guarded();

        Assert.All(admitted, t => Assert.True(t.Completion.IsCompletedSuccessfully));
        Assert.Equal(20, store.StoredSpans);
        var statistics = queue.Statistics;
        Assert.Equal((20L, 0L, 4L, 1L), (statistics.ConsumedSpans, statistics.QueuedSpans, statistics.RejectedSpans, statistics.RejectedRequests));
    }

    [Fact]
    public async Task StopAsync_that_is_cancelled_gives_up_on_queued_work_and_counts_it()
    {
        await using var ingest = Ingest.Start(OneWorker());
        var (store, queue) = (ingest.Store, ingest.Queue);
        var inFlight = queue.TryEnqueue(Spans.Batch(3))!;
        await store.AppendEnteredAsync().Guarded();
        var queued = queue.TryEnqueue(Spans.Batch(2))!;
        using var impatient = new CancellationTokenSource();
        await impatient.CancelAsync();

        await queue.StopAsync(impatient.Token).Guarded();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => inFlight.Completion.Guarded());
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued.Completion.Guarded());
        // Draining again (as disposal does) must not resurrect what was given up.
        await queue.StopAsync(CancellationToken.None).Guarded();
        Assert.Equal(0, store.StoredSpans);
        var statistics = queue.Statistics;
        Assert.Equal((5L, 0L, 0L, 0L), (statistics.FailedSpans, statistics.FailedAppends, statistics.ConsumedSpans, statistics.QueuedSpans));
    }

    [Fact]
    public async Task Concurrent_producers_lose_nothing_and_every_refusal_is_counted()
    {
        const int Producers = 4;
        const int SubmissionsEach = 250;
        const int SpansEach = 10;
        await using var ingest = Ingest.Start(new IngestQueueOptions { Workers = 2, MaxQueuedSpans = 200, MaxSpansPerAppend = 64 }, new GatedStore(gateOpen: true));
        var (store, queue) = (ingest.Store, ingest.Queue);

        var producers = Enumerable.Range(0, Producers).Select(_ => Task.Run(async () =>
        {
            var refusals = 0;
            var tickets = new List<IngestTicket>();
            for (var i = 0; i < SubmissionsEach; i++)
            {
                var batch = Spans.Batch(SpansEach);
                IngestTicket? ticket;
                while ((ticket = queue.TryEnqueue(batch)) is null)
                {
                    // Full: back off the way a sender would, by waiting for earlier work.
                    refusals++;
                    if (tickets.Count > 0) await tickets[^1].Completion;
                    else await Task.Yield();
                }
                tickets.Add(ticket);
            }
            await Task.WhenAll(tickets.Select(t => t.Completion));
            return refusals;
        })).ToArray();
        var refusals = (await Task.WhenAll(producers).Guarded()).Sum();

        const long Total = Producers * SubmissionsEach * SpansEach;
        Assert.Equal(Total, store.StoredSpans);
        var statistics = queue.Statistics;
        Assert.Equal((Total, Total, 0L), (statistics.AcceptedSpans, statistics.ConsumedSpans, statistics.QueuedSpans));
        Assert.Equal(refusals, statistics.RejectedRequests);
        Assert.Equal(refusals * (long)SpansEach, statistics.RejectedSpans);
        Assert.InRange(statistics.PeakQueuedSpans, SpansEach, 200);
    }

    [Theory]
    [InlineData(nameof(IngestQueueOptions.MaxQueuedSpans))]
    [InlineData(nameof(IngestQueueOptions.Workers))]
    [InlineData(nameof(IngestQueueOptions.MaxSpansPerAppend))]
    public void Options_below_one_are_rejected_naming_the_option(string option)
    {
        var options = option switch
        {
            nameof(IngestQueueOptions.MaxQueuedSpans) => new IngestQueueOptions { MaxQueuedSpans = 0 },
            nameof(IngestQueueOptions.Workers) => new IngestQueueOptions { Workers = 0 },
            _ => new IngestQueueOptions { MaxSpansPerAppend = -3 },
        };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new IngestQueue(new StoreWriter(new GatedStore()), options));

        Assert.Equal(option, error.ParamName);
    }
}
