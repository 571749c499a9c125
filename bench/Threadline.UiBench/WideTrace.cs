using Threadline.Core.Model;

namespace Threadline.UiBench;

/// <summary>
/// One very large trace, a batch job: a complete tree with <see cref="FanOut"/> children per span
/// (so 1,000,000 spans are 7 levels deep), spread over eight services, each child inside its parent's
/// time, one span in 997 failing. Made in batches so a million spans never sit in memory at once.
/// </summary>
internal sealed class WideTrace(TraceId traceId, int spanCount, ulong startUnixNano)
{
    public const int FanOut = 10;
    private const ulong RootDurationNanos = 60_000_000_000;

    private static readonly Resource[] Services =
        new[] { "batch-scheduler", "ingest", "catalog", "pricing", "inventory", "search-indexer", "images", "notifications" }
            .Select(name => new Resource([new KeyValue("service.name", name)]))
            .ToArray();

    private static readonly string[] Names = ["run batch", "process partition", "process page", "load item", "write row", "update index", "resize image"];

    public TraceId TraceId { get; } = traceId;
    public int SpanCount { get; } = spanCount;

    // Span i's parent is (i - 1) / FanOut: its start and duration follow from its position among its siblings.
    private (ulong Start, ulong Duration) Timing(long index)
    {
        if (index == 0) return (startUnixNano, RootDurationNanos);
        var (parentStart, parentDuration) = Timing((index - 1) / FanOut);
        var slot = parentDuration / FanOut;
        var sibling = (ulong)((index - 1) % FanOut);
        return (parentStart + (sibling * slot), Math.Max(slot * 9 / 10, 1000));
    }

    private static int Depth(long index)
    {
        var depth = 0;
        while (index > 0) { index = (index - 1) / FanOut; depth++; }
        return depth;
    }

    public IEnumerable<List<Span>> Batches(int batchSize)
    {
        var batch = new List<Span>(batchSize);
        for (long i = 0; i < SpanCount; i++)
        {
            var (start, duration) = Timing(i);
            var depth = Depth(i);
            batch.Add(new Span
            {
                TraceId = TraceId,
                SpanId = new SpanId((ulong)i + 1),
                ParentSpanId = i == 0 ? SpanId.Empty : new SpanId((ulong)((i - 1) / FanOut) + 1),
                Name = Names[Math.Min(depth, Names.Length - 1)],
                Kind = i == 0 ? SpanKind.Server : SpanKind.Internal,
                StartTimeUnixNano = start,
                EndTimeUnixNano = start + duration,
                Status = i % 997 == 0 && i > 0 ? new SpanStatus(StatusCode.Error, "row rejected") : SpanStatus.Unset,
                Resource = Services[(int)(i % Services.Length)],
                Attributes = [new KeyValue("batch.item", i)],
            });
            if (batch.Count == batchSize)
            {
                yield return batch;
                batch = new List<Span>(batchSize);
            }
        }
        if (batch.Count > 0) yield return batch;
    }
}
