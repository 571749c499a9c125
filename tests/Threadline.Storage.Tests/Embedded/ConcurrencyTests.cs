using Threadline.Core.Model;
using Threadline.Storage.Embedded;
using Threadline.Storage.Fetch;

namespace Threadline.Storage.Tests.Embedded;

/// <summary>
/// Readers while the store appends, cuts heads into blocks, compacts and applies retention:
/// a trace appended in one batch is seen whole or not at all, and never with a span twice.
/// </summary>
public sealed class ConcurrencyTests : IDisposable
{
    private const int Traces = 400;

    private readonly TemporaryDataDirectory _directory = new();
    private readonly SpanFactory _spans = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Readers_see_whole_traces_during_ingest_cuts_compaction_and_retention(bool diskCap)
    {
        var options = new EmbeddedStoreOptions
        {
            DataDirectory = _directory.Path,
            Retention = EmbeddedConformance.TestRetention,
            HeadMaxSpans = 60,
            CompactionFanIn = 2,
            // With a cap, blocks go while readers read: a trace may vanish, but whole.
            MaxDiskBytes = diskCap ? 40_000 : 0,
        };
        await using var store = EmbeddedTraceStore.Open(options);
        var appended = new List<Span[]>();
        var done = new CancellationTokenSource();

        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < Traces; i++)
            {
                var trace = MakeTrace(i);
                await store.AppendAsync(trace, CancellationToken.None);
                lock (appended) appended.Add(trace);
            }
        });
        var maintenance = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested) await store.CompactAndApplyRetentionAsync(CancellationToken.None);
        });
        var readers = Enumerable.Range(0, 2).Select(seed => Task.Run(async () =>
        {
            var random = new Random(seed);
            var checks = 0;
            while (!done.IsCancellationRequested || checks == 0)
            {
                Span[]? trace = null;
                lock (appended)
                {
                    if (appended.Count > 0) trace = appended[random.Next(appended.Count)];
                }
                if (trace is null)
                {
                    await Task.Yield();
                    continue;
                }
                AssertWholeOrAbsent(trace, await store.GetTraceAsync(trace[0].TraceId, CancellationToken.None), mayBeAbsent: diskCap);
                await foreach (var spanset in store.FetchSpansAsync(new FetchSpansRequest(), CancellationToken.None))
                {
                    Assert.Equal(spanset.Spans.Count, spanset.Spans.Select(s => s.SpanId).Distinct().Count());
                    Assert.Equal(4, spanset.Spans.Count);
                }
                checks++;
            }
        })).ToArray();

        await writer;
        done.Cancel();
        await Task.WhenAll(readers);
        await maintenance;
        Assert.True(store.Statistics.Cuts > 0 && store.Statistics.Compactions > 0, $"{store.Statistics}");
        if (diskCap) Assert.True(store.Statistics.RetentionDeletions > 0, $"{store.Statistics}");
        foreach (var trace in appended) AssertWholeOrAbsent(trace, await store.GetTraceAsync(trace[0].TraceId, CancellationToken.None), mayBeAbsent: diskCap);
    }

    private Span[] MakeTrace(int i)
    {
        var traceId = _spans.NewTraceId();
        var root = _spans.Make(traceId, "GET /items", SpanFactory.Frontend, startMs: i);
        return
        [
            root,
            _spans.Make(traceId, "items", SpanFactory.Checkout, startMs: i + 0.1, parent: root.SpanId),
            _spans.Make(traceId, "SELECT items", SpanFactory.Checkout, startMs: i + 0.2, parent: root.SpanId, kind: SpanKind.Client),
            _spans.Make(traceId, "charge", SpanFactory.Payments, startMs: i + 0.3, parent: root.SpanId, kind: SpanKind.Internal),
        ];
    }

    private static void AssertWholeOrAbsent(Span[] expected, IReadOnlyList<Span> actual, bool mayBeAbsent)
    {
        if (mayBeAbsent && actual.Count == 0) return;
        Assert.Equal(expected.Select(s => s.SpanId).Order(), actual.Select(s => s.SpanId).Order());
    }
}
