using Microsoft.Extensions.Logging.Abstractions;
using Threadline.Pipeline.Ingest;
using Threadline.Pipeline.Stages;
using Threadline.Protocol;
using Threadline.Testing;

namespace Threadline.Pipeline.Tests;

public sealed class TraceIngestServiceTests
{
    [Fact]
    public async Task Accepted_only_after_the_store_has_the_spans_and_counted_by_protocol_and_outcome()
    {
        using var metrics = new RecordedMetrics();
        var store = new GatedStore();
        await using var queue = new IngestQueue(new StoreWriter(store, metrics.Meter), new IngestQueueOptions { Workers = 1 });
        var ingest = Service(queue, ReceiverMetrics.OtlpHttp, metrics);

        var result = ingest.IngestAsync(new DecodedSpans(Spans.Batch(3), RejectedSpans: 2, "2 spans had invalid ids"), CancellationToken.None);
        await store.AppendEnteredAsync().Guarded();
        Assert.False(result.IsCompleted);
        store.Open();

        var answer = await result.Guarded();
        Assert.Equal((IngestOutcome.Accepted, 2), (answer.Outcome, answer.RejectedSpans));
        Assert.Equal(3, store.StoredSpans);
        Assert.Equal(1, metrics.Sum("threadline_receiver_requests", "outcome", "accepted"));
        Assert.Equal(3, metrics.Sum("threadline_receiver_spans", "outcome", "accepted"));
        Assert.Equal(2, metrics.Sum("threadline_receiver_spans", "outcome", "invalid"));
        Assert.Equal(2, metrics.Sum("threadline_spans_dropped", "reason", DroppedSpans.Invalid));
        Assert.Equal(5, metrics.Sum("threadline_receiver_spans", "protocol", ReceiverMetrics.OtlpHttp));
    }

    [Fact]
    public async Task A_full_queue_and_a_failing_store_are_answered_and_counted_as_such()
    {
        using var metrics = new RecordedMetrics();
        var store = new GatedStore(gateOpen: true) { Failure = new IOException("disk gone") };
        await using var queue = new IngestQueue(new StoreWriter(store), new IngestQueueOptions { Workers = 1, MaxQueuedSpans = 4 });
        var ingest = Service(queue, ReceiverMetrics.Zipkin, metrics);

        var failed = await ingest.IngestAsync(new DecodedSpans(Spans.Batch(4), 0, null), CancellationToken.None).Guarded();
        var gated = new GatedStore();
        await using var fullQueue = new IngestQueue(new StoreWriter(gated), new IngestQueueOptions { Workers = 1, MaxQueuedSpans = 4 });
        var fullIngest = Service(fullQueue, ReceiverMetrics.Zipkin, metrics);
        var first = fullIngest.IngestAsync(new DecodedSpans(Spans.Batch(4), 0, null), CancellationToken.None);
        var overloaded = await fullIngest.IngestAsync(new DecodedSpans(Spans.Batch(1), 0, null), CancellationToken.None).Guarded();
        gated.Open();
        await first.Guarded();
        ingest.RecordRefusal(RequestRefusal.TooLarge);

        Assert.Equal(IngestOutcome.StoreFailed, failed.Outcome);
        Assert.Equal(IngestOutcome.Overloaded, overloaded.Outcome);
        Assert.Contains("Retry after", overloaded.Message, StringComparison.Ordinal);
        Assert.Equal(4, metrics.Sum("threadline_receiver_spans", "outcome", "store_failed"));
        Assert.Equal(1, metrics.Sum("threadline_receiver_spans", "outcome", "overloaded"));
        Assert.Equal(1, metrics.Sum("threadline_receiver_requests", "outcome", "too_large"));
        Assert.Equal(4, metrics.Sum("threadline_receiver_requests", "protocol", ReceiverMetrics.Zipkin));
    }

    [Fact]
    public async Task A_request_whose_every_span_was_invalid_is_counted_as_invalid_not_accepted()
    {
        using var metrics = new RecordedMetrics();
        await using var queue = new IngestQueue(new StoreWriter(new GatedStore(gateOpen: true)), new IngestQueueOptions());
        var ingest = Service(queue, ReceiverMetrics.Zipkin, metrics);

        var result = await ingest.IngestAsync(new DecodedSpans([], RejectedSpans: 3, "bad ids"), CancellationToken.None).Guarded();

        Assert.Equal((IngestOutcome.Accepted, 3), (result.Outcome, result.RejectedSpans));
        Assert.Equal(1, metrics.Sum("threadline_receiver_requests", "outcome", "invalid"));
        Assert.Equal(0, metrics.Sum("threadline_receiver_requests", "outcome", "accepted"));
        Assert.Equal(3, metrics.Sum("threadline_receiver_spans", "outcome", "invalid"));
    }

    private static TraceIngestService Service(IngestQueue queue, string protocol, RecordedMetrics metrics) =>
        new(queue, protocol, new ReceiverMetrics(metrics.Meter), new DroppedSpans(metrics.Meter), TimeSpan.FromSeconds(2), NullLogger<TraceIngestService>.Instance);
}
