using Threadline.Core.Model;
using Threadline.Storage.Aggregates;
using Threadline.Storage.Embedded;
using Threadline.Storage.Memory;

namespace Threadline.Storage.Tests.Embedded;

/// <summary>Cuts, compaction, retention and the aggregates kept across them.</summary>
public sealed class MaintenanceTests : IDisposable
{
    private readonly TemporaryDataDirectory _directory = new();
    private readonly SpanFactory _spans = new();

    public void Dispose() => _directory.Dispose();

    private EmbeddedStoreOptions Options(int fanIn = 4, string retention = EmbeddedConformance.TestRetention, long maxDiskBytes = 0) =>
        new() { DataDirectory = _directory.Path, Retention = retention, CompactionFanIn = fanIn, MaxDiskBytes = maxDiskBytes };

    [Fact]
    public async Task Pieces_of_a_trace_in_three_blocks_are_merged_into_one_block_holding_the_whole_trace()
    {
        var traceId = _spans.NewTraceId();
        var root = _spans.Make(traceId, "GET /checkout", SpanFactory.Frontend);
        var pieces = new[]
        {
            new[] { root },
            [_spans.Make(traceId, "charge", SpanFactory.Payments, startMs: 5, parent: root.SpanId, kind: SpanKind.Client)],
            [_spans.Make(traceId, "reserve", SpanFactory.Checkout, startMs: 9, parent: root.SpanId, kind: SpanKind.Internal)],
        };
        await using (var store = EmbeddedTraceStore.Open(Options(fanIn: 3)))
        {
            foreach (var piece in pieces)
            {
                await store.AppendAsync(piece, CancellationToken.None);
                await store.FlushAsync(CancellationToken.None);
            }
            // The background loop may already have merged them; either way one merge happens.
            await store.CompactAndApplyRetentionAsync(CancellationToken.None);

            Assert.Equal(1, store.Statistics.Blocks);
            Assert.Equal(1, store.Statistics.Compactions);
            Assert.Equal(3, store.Statistics.BlockSpans);
            AssertIds(pieces.SelectMany(p => p), await store.GetTraceAsync(traceId, CancellationToken.None));
        }
        Assert.Single(Directory.GetDirectories(Path.Combine(_directory.Path, "blocks")));
        await using var reopened = EmbeddedTraceStore.Open(Options(fanIn: 3));
        AssertIds(pieces.SelectMany(p => p), await reopened.GetTraceAsync(traceId, CancellationToken.None));
    }

    [Fact]
    public async Task Retention_deletes_whole_blocks_older_than_the_period_and_the_disk_cap_the_oldest_first()
    {
        var old = _spans.Make(_spans.NewTraceId(), "old");
        await using (var store = EmbeddedTraceStore.Open(Options(retention: "7d")))
        {
            await store.AppendAsync([old], CancellationToken.None);
            await store.FlushAsync(CancellationToken.None);
            await store.CompactAndApplyRetentionAsync(CancellationToken.None);
            Assert.Equal(0, store.Statistics.Blocks);
            Assert.Equal(1, store.Statistics.RetentionDeletions);
            Assert.Empty(await store.GetTraceAsync(old.TraceId, CancellationToken.None));
        }
        Assert.Empty(Directory.GetDirectories(Path.Combine(_directory.Path, "blocks")));

        var traces = new List<Span>();
        await using (var store = EmbeddedTraceStore.Open(Options(fanIn: 100)))
        {
            for (var i = 0; i < 3; i++)
            {
                var span = _spans.Make(_spans.NewTraceId(), "block " + i, startMs: i * 60_000);
                traces.Add(span);
                await store.AppendAsync([span], CancellationToken.None);
                await store.FlushAsync(CancellationToken.None);
            }
        }
        var sizes = Directory.GetDirectories(Path.Combine(_directory.Path, "blocks")).Select(d => new DirectoryInfo(d).EnumerateFiles().Sum(f => f.Length)).ToArray();
        // Room for the two newest blocks, not for all three.
        await using var capped = EmbeddedTraceStore.Open(Options(fanIn: 100, maxDiskBytes: sizes.Sum() - sizes.Min() / 2));
        await capped.CompactAndApplyRetentionAsync(CancellationToken.None);
        Assert.Empty(await capped.GetTraceAsync(traces[0].TraceId, CancellationToken.None));
        Assert.Single(await capped.GetTraceAsync(traces[2].TraceId, CancellationToken.None));
    }

    [Fact]
    public async Task Span_metrics_and_service_graph_survive_cuts_and_restarts_as_a_memory_store_counts_them()
    {
        var memory = new MemoryTraceStore();
        var batches = new List<Span[]>();
        for (var i = 0; i < 30; i++)
        {
            var traceId = _spans.NewTraceId();
            var client = _spans.Make(traceId, "GET /cart", SpanFactory.Frontend, startMs: i * 7_000, durationMs: 20 + i, kind: SpanKind.Client, status: i % 5 == 0 ? StatusCode.Error : StatusCode.Unset);
            var server = _spans.Make(traceId, "cart", SpanFactory.Checkout, startMs: i * 7_000 + 1, durationMs: 10 + i, parent: client.SpanId);
            batches.Add([client, server]);
        }
        var query = new AggregateQuery { StartTimeUnixNano = SpanFactory.At(0), EndTimeUnixNano = SpanFactory.At(3_600_000), StepMinutes = 1 };

        await using (var store = EmbeddedTraceStore.Open(Options()))
        {
            for (var i = 0; i < batches.Count; i++)
            {
                await store.AppendAsync(batches[i], CancellationToken.None);
                await memory.AppendAsync(batches[i], CancellationToken.None);
                // Some in blocks, some in the head.
                if (i % 10 == 9) await store.FlushAsync(CancellationToken.None);
            }
            await AssertSameAggregatesAsync(memory, store, query);
        }
        await using (var reopened = EmbeddedTraceStore.Open(Options()))
        {
            await AssertSameAggregatesAsync(memory, reopened, query);
            await reopened.FlushAsync(CancellationToken.None);
            await AssertSameAggregatesAsync(memory, reopened, query);
        }
        await using var again = EmbeddedTraceStore.Open(Options());
        await AssertSameAggregatesAsync(memory, again, query);
    }

    [Fact]
    public async Task A_full_head_is_refused_while_blocks_cannot_be_written_and_accepted_once_they_can()
    {
        var options = Options();
        options.HeadMaxSpans = 4;
        await using var store = EmbeddedTraceStore.Open(options);
        var blocks = Path.Combine(_directory.Path, "blocks");
        // A file where the blocks directory was: every block write fails until it is put back.
        Directory.Delete(blocks);
        await File.WriteAllTextAsync(blocks, "not a directory");

        await store.AppendAsync(Batch(4), CancellationToken.None);   // fills the head, which is frozen
        await Assert.ThrowsAnyAsync<IOException>(() => store.FlushAsync(CancellationToken.None));
        await store.AppendAsync(Batch(4), CancellationToken.None);   // fills the next head; its predecessor is not out

        // Memory is full and blocks cannot be written: refused (503), not held in memory.
        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await store.AppendAsync(Batch(1), CancellationToken.None));
        Assert.Equal(8, store.Statistics.HeadSpans);

        File.Delete(blocks);
        Directory.CreateDirectory(blocks);
        await store.FlushAsync(CancellationToken.None);
        await store.AppendAsync(Batch(1), CancellationToken.None);
        Assert.Equal(9, store.Statistics.HeadSpans + store.Statistics.BlockSpans);
    }

    private Span[] Batch(int spans)
    {
        var traceId = _spans.NewTraceId();
        return [.. Enumerable.Range(0, spans).Select(i => _spans.Make(traceId, "op " + i, startMs: i))];
    }

    private static async Task AssertSameAggregatesAsync(ITraceStore expected, ITraceStore actual, AggregateQuery query)
    {
        Assert.Equal(Describe(await expected.GetSpanMetricsAsync(query, CancellationToken.None)), Describe(await actual.GetSpanMetricsAsync(query, CancellationToken.None)));
        Assert.Equal(Describe(await expected.GetServiceGraphAsync(query, CancellationToken.None)), Describe(await actual.GetServiceGraphAsync(query, CancellationToken.None)));
    }

    private static string[] Describe(IReadOnlyList<SpanMetricsSeries> series) =>
        [.. series.Select(s => $"{s.Key} {Describe(s.Total)} [{string.Join(" ", s.Points.Select(p => p.StartUnixNano + ":" + Describe(p.Tally)))}]")];

    private static string[] Describe(IReadOnlyList<ServiceGraphEdge> edges) =>
        [.. edges.Select(e => $"{e.Key} {Describe(e.Total)} [{string.Join(" ", e.Points.Select(p => p.StartUnixNano + ":" + Describe(p.Tally)))}]")];

    private static string Describe(SpanTally tally) =>
        $"{tally.Count}/{tally.ErrorCount}/{tally.Durations.SumNanos}/{tally.Durations.Quantile(0.5)}/{tally.Durations.Quantile(0.99)}";

    private static void AssertIds(IEnumerable<Span> expected, IReadOnlyList<Span> actual) =>
        Assert.Equal(expected.Select(s => s.SpanId).Order(), actual.Select(s => s.SpanId).Order());
}
