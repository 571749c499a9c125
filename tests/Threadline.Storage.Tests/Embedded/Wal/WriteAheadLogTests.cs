using Threadline.Core.Model;
using Threadline.Storage.Embedded;
using Threadline.Storage.Embedded.Format;
using Threadline.Storage.Tests.Embedded.Blocks;

namespace Threadline.Storage.Tests.Embedded.Wal;

/// <summary>The log through the store: what is acknowledged comes back after a restart, exactly, and damage is found, reported and cut.</summary>
public sealed class WriteAheadLogTests : IDisposable
{
    private readonly TemporaryDataDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private EmbeddedStoreOptions Options => new() { DataDirectory = _directory.Path, Retention = EmbeddedConformance.TestRetention };

    private string WalDirectory => Path.Combine(_directory.Path, "wal");

    [Fact]
    public async Task Every_field_of_random_spans_survives_a_replay()
    {
        var random = new RandomSpans(seed: 9);
        var traces = Enumerable.Range(0, 60).Select(i => random.Trace(1 + i % 7)).ToArray();
        await using (var store = EmbeddedTraceStore.Open(Options))
        {
            foreach (var trace in traces) await store.AppendAsync(trace, CancellationToken.None);
        }
        await using var reopened = EmbeddedTraceStore.Open(Options);
        Assert.Equal(traces.Sum(t => t.Length), reopened.Statistics.ReplayedSpans);
        foreach (var trace in traces) AssertSameSpans(trace, await reopened.GetTraceAsync(trace[0].TraceId, CancellationToken.None));
    }

    [Fact]
    public async Task Concurrent_appends_share_fsyncs()
    {
        var random = new RandomSpans(seed: 3);
        await using var store = EmbeddedTraceStore.Open(Options);
        // Queued at once: while the writer syncs the first, the rest wait and go in one write.
        var appends = Enumerable.Range(0, 200).Select(_ => store.AppendAsync(random.Trace(2), CancellationToken.None).AsTask()).ToArray();
        await Task.WhenAll(appends);

        var statistics = store.Statistics;
        Assert.Equal(200, statistics.SyncedAppends);
        Assert.True(statistics.Fsyncs <= 100, $"{statistics.Fsyncs} fsyncs for 200 appends queued together");
    }

    [Fact]
    public async Task A_flipped_byte_anywhere_in_the_log_is_reported_with_file_and_offset_and_never_returns_wrong_data()
    {
        var (traces, segment, original) = await WriteTracesAsync(seed: 11, count: 8);
        var random = new Random(5);
        var offsets = Enumerable.Range(0, 40).Select(_ => random.Next(original.Length)).Append(0).Append(9).Append(16).Append(20).Distinct();
        foreach (var offset in offsets)
        {
            var damaged = (byte[])original.Clone();
            damaged[offset] ^= (byte)(1 << random.Next(8));
            await File.WriteAllBytesAsync(segment, damaged);

            var logger = new CapturingLogger();
            await using (var store = EmbeddedTraceStore.Open(Options, logger))
            {
                Assert.Equal(1, store.Statistics.Corruptions);
                Assert.Contains(logger.Messages, m => m.Contains(segment, StringComparison.Ordinal) && m.Contains("byte offset", StringComparison.Ordinal));
                await AssertAPrefixAsync(store, traces);
            }
            ResetDirectory();
        }
    }

    [Fact]
    public async Task A_log_cut_at_any_offset_replays_the_whole_records_before_the_cut_and_drops_the_torn_one()
    {
        var (traces, segment, original) = await WriteTracesAsync(seed: 12, count: 6);
        var later = new RandomSpans(seed: 13).Trace(3);
        for (var length = 0; length < original.Length; length += 1 + length / 9)
        {
            await File.WriteAllBytesAsync(segment, original.AsSpan(0, length).ToArray());
            await using (var store = EmbeddedTraceStore.Open(Options))
            {
                var kept = await AssertAPrefixAsync(store, traces);
                // Appending after a torn tail works, and the next replay is clean.
                await store.AppendAsync(later, CancellationToken.None);
                Assert.True(kept < traces.Length);
            }
            await using (var again = EmbeddedTraceStore.Open(Options))
            {
                Assert.Equal(0, again.Statistics.Corruptions);
                AssertSameSpans(later, await again.GetTraceAsync(later[0].TraceId, CancellationToken.None));
            }
            ResetDirectory();
        }
    }

    [Fact]
    public async Task A_second_store_on_the_same_directory_is_refused_naming_the_lock()
    {
        await using var store = EmbeddedTraceStore.Open(Options);
        var error = Assert.Throws<IOException>(() => EmbeddedTraceStore.Open(Options));
        Assert.Contains("in use by another Threadline server", error.Message, StringComparison.Ordinal);
        Assert.Contains(_directory.Path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_directory_or_log_of_an_unknown_format_version_is_refused_with_the_versions_read()
    {
        await using (var store = EmbeddedTraceStore.Open(Options))
        {
            await store.AppendAsync(new RandomSpans(1).Trace(2), CancellationToken.None);
        }
        var format = Path.Combine(_directory.Path, "FORMAT");
        var original = await File.ReadAllTextAsync(format);
        await File.WriteAllTextAsync(format, "threadline-data 99\n");
        var error = Assert.Throws<UnsupportedFormatVersionException>(() => EmbeddedTraceStore.Open(Options));
        Assert.Equal(99, error.VersionFound);
        Assert.Contains(format, error.Message, StringComparison.Ordinal);

        await File.WriteAllTextAsync(format, original);
        var segment = Directory.GetFiles(WalDirectory).Single();
        var bytes = await File.ReadAllBytesAsync(segment);
        BitConverter.TryWriteBytes(bytes.AsSpan(8), 7);
        BitConverter.TryWriteBytes(bytes.AsSpan(12), Crc32C.Compute(bytes.AsSpan(0, 12)));
        await File.WriteAllBytesAsync(segment, bytes);
        var walError = Assert.Throws<UnsupportedFormatVersionException>(() => EmbeddedTraceStore.Open(Options));
        Assert.Equal(7, walError.VersionFound);
        Assert.Contains(segment, walError.Message, StringComparison.Ordinal);
    }

    // One append per trace, so each trace is one record; returns the single segment's bytes.
    private async Task<(Span[][] Traces, string Segment, byte[] Bytes)> WriteTracesAsync(int seed, int count)
    {
        var random = new RandomSpans(seed);
        var traces = Enumerable.Range(0, count).Select(i => random.Trace(1 + i % 4)).ToArray();
        await using (var store = EmbeddedTraceStore.Open(Options))
        {
            foreach (var trace in traces) await store.AppendAsync(trace, CancellationToken.None);
        }
        var segment = Directory.GetFiles(WalDirectory).Single();
        var bytes = await File.ReadAllBytesAsync(segment);
        // Kept aside so every damaged variant starts from the same directory.
        File.Copy(segment, segment + ".original");
        File.Delete(segment);
        return (traces, segment, bytes);
    }

    private void ResetDirectory()
    {
        foreach (var file in Directory.GetFiles(WalDirectory).Where(f => !f.EndsWith(".original", StringComparison.Ordinal))) File.Delete(file);
    }

    // The traces found are a prefix of those appended (records replay in order, up to the
    // damage), each with exactly its spans. Returns how many.
    private static async Task<int> AssertAPrefixAsync(EmbeddedTraceStore store, Span[][] traces)
    {
        var present = new List<bool>();
        foreach (var trace in traces)
        {
            var found = await store.GetTraceAsync(trace[0].TraceId, CancellationToken.None);
            if (found.Count > 0) AssertSameSpans(trace, found);
            present.Add(found.Count > 0);
        }
        var kept = present.TakeWhile(p => p).Count();
        Assert.All(present.Skip(kept), p => Assert.False(p));
        return kept;
    }

    private static void AssertSameSpans(Span[] expected, IReadOnlyList<Span> actual)
    {
        Assert.Equal(expected.Length, actual.Count);
        var byId = actual.ToDictionary(s => s.SpanId);
        foreach (var span in expected) SpanAssert.Equal(span, byId[span.SpanId]);
    }
}
