using Threadline.Core.Model;
using Threadline.Storage.Embedded;
using Threadline.Storage.Embedded.Blocks;

namespace Threadline.Storage.Tests.Embedded;

public sealed class EmbeddedTraceStoreTests : IDisposable
{
    private readonly TemporaryDataDirectory _directory = new();
    private readonly SpanFactory _spans = new();

    private EmbeddedStoreOptions Options => new() { DataDirectory = _directory.Path, Retention = EmbeddedConformance.TestRetention };

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Flushed_trace_comes_back_from_a_block_and_the_log_segments_are_gone()
    {
        var traceId = _spans.NewTraceId();
        var root = _spans.Make(traceId, "GET /cart", SpanFactory.Frontend);
        var child = _spans.Make(traceId, "SELECT cart", SpanFactory.Checkout, startMs: 1, parent: root.SpanId, kind: SpanKind.Client);
        await using (var store = EmbeddedTraceStore.Open(Options))
        {
            await store.AppendAsync([root, child], CancellationToken.None);
            await store.FlushAsync(CancellationToken.None);

            Assert.Equal(1, store.Statistics.Blocks);
            Assert.Equal(0, store.Statistics.HeadSpans);
            Assert.Equal(0, store.Statistics.WalBytes);
            AssertTrace([root, child], await store.GetTraceAsync(traceId, CancellationToken.None));
        }
        await using var reopened = EmbeddedTraceStore.Open(Options);
        Assert.Equal(0, reopened.Statistics.Corruptions);
        Assert.Equal(1, reopened.Statistics.Blocks);
        Assert.Equal(0, reopened.Statistics.ReplayedSpans);
        AssertTrace([root, child], await reopened.GetTraceAsync(traceId, CancellationToken.None));
    }

    private static void AssertTrace(Span[] expected, IReadOnlyList<Span> actual)
    {
        Assert.Equal(expected.Length, actual.Count);
        for (var i = 0; i < expected.Length; i++) SpanAssert.Equal(expected[i], actual[i]);
    }
}
