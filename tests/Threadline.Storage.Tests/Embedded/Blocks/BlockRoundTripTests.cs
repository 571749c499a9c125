using Threadline.Core.Model;
using Threadline.Storage.Embedded.Blocks;

namespace Threadline.Storage.Tests.Embedded.Blocks;

public sealed class BlockRoundTripTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Every_span_field_comes_back_identical_by_trace_and_in_full_scan(int seed)
    {
        var random = new RandomSpans(seed);
        var traces = Enumerable.Range(0, 60).Select(i => random.Trace(1 + (i * 7 % 23))).ToArray();
        var spans = traces.SelectMany(t => t).OrderBy(_ => Guid.NewGuid()).ToArray();

        using var block = BlockWriter.Write(_directory.Path, spans, new BlockWriteOptions { RowGroupSpans = 40 }, CancellationToken.None);

        Assert.True(block.Meta.RowGroupCount > 1, "the test needs several row groups");
        foreach (var trace in traces)
        {
            var expected = trace.OrderBy(s => s.StartTimeUnixNano).ThenBy(s => s.SpanId).ToArray();
            var found = block.FindTrace(trace[0].TraceId);
            Assert.Equal(expected.Length, found.Count);
            for (var i = 0; i < expected.Length; i++) SpanAssert.Equal(expected[i], found[i]);
        }

        var scanned = block.ReadTraces(CancellationToken.None).ToArray();
        Assert.Equal(traces.Length, scanned.Length);
        Assert.Equal(traces.Select(t => t[0].TraceId).Order(), scanned.Select(t => t[0].TraceId));
        foreach (var trace in scanned)
        {
            var expected = traces.Single(t => t[0].TraceId == trace[0].TraceId).OrderBy(s => s.StartTimeUnixNano).ThenBy(s => s.SpanId).ToArray();
            for (var i = 0; i < expected.Length; i++) SpanAssert.Equal(expected[i], trace[i]);
        }
    }

    [Fact]
    public void Reopened_block_reads_the_same_and_its_meta_describes_the_spans()
    {
        var random = new RandomSpans(7);
        var spans = Enumerable.Range(0, 20).SelectMany(_ => random.Trace(5)).ToArray();
        string directory;
        using (var written = BlockWriter.Write(_directory.Path, spans, new BlockWriteOptions { CompactionLevel = 2 }, CancellationToken.None))
            directory = written.Directory;

        using var block = Block.Open(directory);
        var meta = block.Meta;
        Assert.Equal(spans.Length, meta.SpanCount);
        Assert.Equal(20, meta.TraceCount);
        Assert.Equal(2, meta.CompactionLevel);
        Assert.Equal(spans.Min(s => s.StartTimeUnixNano), meta.MinStartUnixNano);
        Assert.Equal(spans.Max(s => s.StartTimeUnixNano), meta.MaxStartUnixNano);
        Assert.Equal(spans.Select(s => s.ServiceName).Distinct().Order(StringComparer.Ordinal), meta.Services);
        Assert.Equal(spans.SelectMany(s => s.Attributes).Select(a => a.Key).Distinct().Order(StringComparer.Ordinal), meta.SpanAttributeKeys);
        Assert.Equal(spans.SelectMany(s => s.Resource.Attributes).Select(a => a.Key).Distinct().Order(StringComparer.Ordinal), meta.ResourceAttributeKeys);
        Assert.StartsWith(meta.MinStartUnixNano.ToString("x16"), meta.BlockId, StringComparison.Ordinal);
        Assert.Equal(Path.GetFileName(directory), meta.BlockId);
        Assert.Equal(
            new FileInfo(Path.Combine(directory, BlockDirectory.DataFileName)).Length + new FileInfo(Path.Combine(directory, BlockDirectory.IndexFileName)).Length,
            meta.SizeBytes);
        var service = meta.Services[0];
        Assert.Equal(
            spans.Where(s => s.ServiceName == service).Select(s => new Operation(s.Name, s.Kind)).Distinct().OrderBy(o => o.Name, StringComparer.Ordinal).ThenBy(o => o.Kind),
            block.Operations(service));
        foreach (var span in spans.Take(10)) Assert.Contains(block.FindTrace(span.TraceId), s => s.SpanId == span.SpanId);
    }

    [Fact]
    public void Spans_are_stored_by_trace_id_then_start_and_a_trace_never_spans_two_row_groups()
    {
        var random = new RandomSpans(11);
        var traces = Enumerable.Range(0, 30).Select(i => random.Trace(1 + i % 9)).ToArray();
        using var block = BlockWriter.Write(_directory.Path, traces.SelectMany(t => t).Reverse(), new BlockWriteOptions { RowGroupSpans = 10 }, CancellationToken.None);

        var stored = block.ReadTraces(CancellationToken.None).SelectMany(t => t).ToArray();
        for (var i = 1; i < stored.Length; i++)
        {
            var (a, b) = (stored[i - 1], stored[i]);
            Assert.True(a.TraceId < b.TraceId || (a.TraceId == b.TraceId && a.StartTimeUnixNano <= b.StartTimeUnixNano), $"row {i} out of order");
        }
        // Row groups hold whole traces: reading one trace decodes exactly one row group.
        var before = block.RowGroupsDecoded;
        Assert.Equal(traces[3].Length, block.FindTrace(traces[3][0].TraceId).Count);
        Assert.Equal(before + 1, block.RowGroupsDecoded);
    }

    [Fact]
    public void Absent_trace_is_empty_and_bloom_has_no_false_negatives()
    {
        var random = new RandomSpans(5);
        var traces = Enumerable.Range(0, 500).Select(_ => random.Trace(1)).ToArray();
        using var block = BlockWriter.Write(_directory.Path, traces.SelectMany(t => t), new BlockWriteOptions(), CancellationToken.None);

        Assert.All(traces, t => Assert.True(block.MightContain(t[0].TraceId)));
        var absent = Enumerable.Range(0, 2000).Select(i => new TraceId(0xABCDEF, (ulong)i * 0x9E3779B97F4A7C15)).ToArray();
        var falsePositives = absent.Count(block.MightContain);
        Assert.True(falsePositives < 100, $"{falsePositives} of 2000 absent ids pass the bloom (expected about 1 %)");
        Assert.All(absent, id => Assert.Empty(block.FindTrace(id)));

        // Contains is exact where the bloom is not: a fetch asks it of every other block per
        // trace, and a false yes there would read the whole trace for nothing.
        Assert.True(falsePositives > 0, "no false positive to check Contains on; pick more absent ids");
        Assert.All(absent, id => Assert.False(block.Contains(id)));
        Assert.All(traces, t => Assert.True(block.Contains(t[0].TraceId)));
    }

    [Fact]
    public void Write_refuses_no_spans_and_leaves_nothing_behind()
    {
        Assert.Throws<ArgumentException>(() => BlockWriter.Write(_directory.Path, [], new BlockWriteOptions(), CancellationToken.None));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory.Path));
    }

    [Fact]
    public void Cancelled_write_leaves_no_block_and_no_temporary_directory()
    {
        var random = new RandomSpans(3);
        var spans = Enumerable.Range(0, 50).SelectMany(_ => random.Trace(4)).ToArray();
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => BlockWriter.Write(_directory.Path, spans, new BlockWriteOptions { RowGroupSpans = 8 }, cancelled.Token));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory.Path));
    }

    [Fact]
    public void Temporary_directory_names_are_told_apart_from_blocks()
    {
        var random = new RandomSpans(4);
        using var block = BlockWriter.Write(_directory.Path, random.Trace(3), new BlockWriteOptions(), CancellationToken.None);
        Assert.False(BlockDirectory.IsTemporary(block.Meta.BlockId));
        Assert.True(BlockDirectory.IsTemporary(BlockDirectory.TemporaryPrefix + block.Meta.BlockId));
        Assert.Equal([block.Meta.BlockId], Directory.EnumerateDirectories(_directory.Path).Select(Path.GetFileName));
    }
}
