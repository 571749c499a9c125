using Threadline.Core.Model;
using Threadline.Storage.Embedded.Blocks;

namespace Threadline.Storage.Tests.Embedded.Blocks;

public sealed class BlockCompactorTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Pieces_of_one_trace_in_three_blocks_come_back_whole_and_once()
    {
        var random = new RandomSpans(41);
        var traces = Enumerable.Range(0, 30).Select(i => random.Trace(3 + i % 5)).ToArray();
        // Spans dealt round-robin to three blocks, as if the trace arrived over minutes; one
        // span also lands in two blocks (a replayed batch) and must be kept once.
        var parts = new List<Span>[3] { [], [], [] };
        var dealt = 0;
        foreach (var span in traces.SelectMany(t => t)) parts[dealt++ % 3].Add(span);
        parts[2].Add(parts[0][0]);
        var inputs = parts.Select((p, i) => BlockWriter.Write(_directory.Path, p, new BlockWriteOptions { RowGroupSpans = 8, CompactionLevel = i == 1 ? 1 : 0 }, CancellationToken.None)).ToArray();
        try
        {
            Assert.All(traces, t => Assert.True(inputs.Count(b => b.FindTrace(t[0].TraceId).Count > 0) > 1));

            using var merged = BlockCompactor.Merge(_directory.Path, inputs, new BlockWriteOptions { RowGroupSpans = 16 }, CancellationToken.None);

            Assert.Equal(2, merged.Meta.CompactionLevel);
            Assert.Equal(traces.Sum(t => t.Length), merged.Meta.SpanCount);
            Assert.Equal(traces.Length, merged.Meta.TraceCount);
            Assert.Equal(inputs.Min(b => b.Meta.MinStartUnixNano), merged.Meta.MinStartUnixNano);
            foreach (var trace in traces)
            {
                var expected = trace.OrderBy(s => s.StartTimeUnixNano).ThenBy(s => s.SpanId).ToArray();
                var found = merged.FindTrace(trace[0].TraceId);
                Assert.Equal(expected.Length, found.Count);
                for (var i = 0; i < expected.Length; i++) SpanAssert.Equal(expected[i], found[i]);
            }
            Assert.Equal(traces.Select(t => t[0].TraceId).Order(), merged.ReadTraces(CancellationToken.None).Select(t => t[0].TraceId));
            // The inputs are left for the caller to delete once the merged block is published.
            Assert.All(inputs, b => Assert.True(Directory.Exists(b.Directory)));
        }
        finally
        {
            foreach (var input in inputs) input.Dispose();
        }
    }

    [Fact]
    public void Merge_refuses_no_inputs()
    {
        Assert.Throws<ArgumentException>(() => BlockCompactor.Merge(_directory.Path, [], new BlockWriteOptions(), CancellationToken.None));
    }
}
