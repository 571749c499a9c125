using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Threadline.Storage.Aggregates;
using Threadline.Storage.Embedded.Aggregates;
using Threadline.Storage.Embedded.Blocks;
using Threadline.Storage.Embedded.Wal;

namespace Threadline.Storage.Embedded;

// The background work: write out frozen heads, merge blocks, delete expired ones. One task does
// all of it, in this order, so a cut never races a compaction.
public sealed partial class EmbeddedTraceStore
{
    // More aggregate files than this are consolidated into one.
    private const int MaxAggregateFiles = 16;

    private static readonly TimeSpan MaintenanceInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Writes out the head now, whatever its size or age, and returns once every frozen head is
    /// a block. For tests, benchmarks and tools; the server cuts by itself.
    /// </summary>
    /// <exception cref="IOException">A block could not be written (the spans stay in the log and memory).</exception>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _walLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            FreezeActiveHead();
        }
        finally
        {
            _walLock.Release();
        }
        await _maintenanceLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await CutFrozenAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _maintenanceLock.Release();
        }
    }

    /// <summary>Runs compaction until nothing is left to merge, then retention, now; for tests.</summary>
    public async Task CompactAndApplyRetentionAsync(CancellationToken cancellationToken)
    {
        await _maintenanceLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (TryCompactOnce(cancellationToken))
            {
            }
            ApplyRetention();
        }
        finally
        {
            _maintenanceLock.Release();
        }
    }

    private async Task CutFrozenAsync(CancellationToken cancellationToken)
    {
        while (Volatile.Read(ref _state).Frozen is { IsEmpty: false } frozen) await CutAsync(frozen[0], cancellationToken).ConfigureAwait(false);
    }

    private async Task MaintenanceLoopAsync()
    {
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await _maintenanceSignal.WaitAsync(MaintenanceInterval, stopping).ConfigureAwait(false);
                await FreezeByAgeAsync(stopping).ConfigureAwait(false);
                await _maintenanceLock.WaitAsync(stopping).ConfigureAwait(false);
                try
                {
                    await CutFrozenAsync(stopping).ConfigureAwait(false);
                    if (TryCompactOnce(stopping)) _maintenanceSignal.Release();
                    ApplyRetention();
                    ConsolidateAggregates();
                }
                finally
                {
                    _maintenanceLock.Release();
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _counters.MaintenanceFailure();
                _logger.LogError(ex, "Embedded store maintenance failed; retrying in {Delay}. Spans stay in the log and memory meanwhile", RetryDelay);
                try
                {
                    await Task.Delay(RetryDelay, _time, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task FreezeByAgeAsync(CancellationToken cancellationToken)
    {
        var active = Volatile.Read(ref _state).Active;
        if (active.SpanCount == 0 || Stopwatch.GetElapsedTime(active.StartedAt) < TimeSpan.FromSeconds(_options.HeadMaxAgeSeconds)) return;
        await _walLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (ReferenceEquals(_state.Active, active)) FreezeActiveHead();
        }
        finally
        {
            _walLock.Release();
        }
    }

    // Writes a frozen head as a block. The aggregates go first, as a pending file naming the
    // block; the block is published by its rename; the pending file's rename commits the cut.
    // Only then are the head's log segments deleted. A stop anywhere in between leaves either
    // the log (replayed again) or a committed cut (segments skipped), never both counted.
    private async Task CutAsync(Head.Head head, CancellationToken cancellationToken)
    {
        var (minStart, maxStart) = head.StartRange;
        var cut = await AggregateCut.FromHeadAsync(head.Store, minStart, maxStart, head.FirstSegment, head.LastSegment, cancellationToken).ConfigureAwait(false);
        var blockId = NewBlockId(minStart);
        var pending = Path.Combine(_directory.Aggregates, AggregateFile.FileName(head.FirstSegment, head.LastSegment, pending: true));
        DurableFiles.WriteAtomically(pending, AggregateFile.Encode(cut, blockId));
        Block block;
        try
        {
            block = await Task.Run(() => BlockWriter.Write(_directory.Blocks, head.Spans(), new BlockWriteOptions { BlockId = blockId, CompactionLevel = 0 }, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            DurableFiles.TryDelete(pending);
            throw;
        }
        File.Move(pending, pending[..^AggregateFile.PendingExtension.Length] + AggregateFile.Extension);
        DurableFiles.SyncDirectory(_directory.Aggregates);

        lock (_stateLock)
        {
            _archive.Add(cut);
            _state = _state with { Frozen = _state.Frozen.Remove(head), Blocks = _state.Blocks.Add(new BlockHandle(block)) };
        }
        for (var segment = head.FirstSegment; segment <= head.LastSegment; segment++)
            DurableFiles.TryDelete(Path.Combine(_directory.Wal, WalSegment.FileName(segment)));
        _counters.Cut();
        _logger.LogDebug("Wrote {Spans} spans of the head as block {Block}", head.SpanCount, blockId);
    }

    // Merges the oldest blocks of the lowest level that has enough of them. Returns whether it merged.
    private bool TryCompactOnce(CancellationToken cancellationToken)
    {
        var state = Volatile.Read(ref _state);
        var inputs = state.Blocks
            .GroupBy(b => b.Block.Meta.CompactionLevel)
            .OrderBy(g => g.Key)
            .Select(g => g.OrderBy(b => b.Block.Meta.MinStartUnixNano).Take(_options.CompactionFanIn).ToArray())
            .FirstOrDefault(g => g.Length >= _options.CompactionFanIn && g.Sum(b => b.Block.Meta.SpanCount) <= _options.CompactionMaxBlockSpans);
        if (inputs is null) return false;

        var outputId = NewBlockId(inputs.Min(b => b.Block.Meta.MinStartUnixNano));
        var journal = CompactionJournal.Begin(_directory.Blocks, outputId, inputs.Select(b => b.Block.Directory));
        Block merged;
        try
        {
            merged = BlockCompactor.Merge(_directory.Blocks, [.. inputs.Select(b => b.Block)], new BlockWriteOptions { BlockId = outputId, CompactionLevel = inputs[0].Block.Meta.CompactionLevel + 1 }, cancellationToken);
        }
        catch
        {
            CompactionJournal.End(journal);
            throw;
        }
        lock (_stateLock)
        {
            _state = _state with { Blocks = _state.Blocks.RemoveRange(inputs).Add(new BlockHandle(merged)) };
        }
        foreach (var input in inputs) input.Retire(delete: true);
        CompactionJournal.End(journal);
        _counters.Compaction();
        return true;
    }

    // Whole blocks, oldest first: those whose newest span ended before the retention period,
    // then, with a disk cap, the oldest until the rest fits.
    private void ApplyRetention()
    {
        var now = (ulong)_time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000;
        var retention = (ulong)_options.RetentionPeriod.Ticks * 100;
        var cutoff = now > retention ? now - retention : 0;
        List<BlockHandle> expired;
        lock (_stateLock)
        {
            var blocks = _state.Blocks.OrderBy(b => b.Block.Meta.MinStartUnixNano).ToList();
            expired = [.. blocks.Where(b => b.Block.Meta.MaxEndUnixNano < cutoff)];
            var kept = blocks.Except(expired).ToList();
            if (_options.MaxDiskBytes > 0)
            {
                var total = kept.Sum(b => b.Block.Meta.SizeBytes);
                while (total > _options.MaxDiskBytes && kept.Count > 0)
                {
                    total -= kept[0].Block.Meta.SizeBytes;
                    expired.Add(kept[0]);
                    kept.RemoveAt(0);
                }
            }
            if (expired.Count > 0) _state = _state with { Blocks = _state.Blocks.RemoveRange(expired) };
            _archive.DropBefore(MinuteClock.MinuteOf(cutoff));
        }
        foreach (var block in expired)
        {
            _logger.LogInformation("Retention: deleting block {Block} ({Spans} spans, {Bytes} bytes)", block.Block.Meta.BlockId, block.Block.Meta.SpanCount, block.Block.Meta.SizeBytes);
            block.Retire(delete: true);
            _counters.RetentionDeletion();
        }
    }

    // Many small aggregate files (one per cut) become one; written before the old ones go, and
    // an open ignores files whose range a larger file covers.
    private void ConsolidateAggregates()
    {
        var files = Directory.GetFiles(_directory.Aggregates, "*" + AggregateFile.Extension);
        if (files.Length <= MaxAggregateFiles) return;
        var ranges = files.Select(f => Path.GetFileNameWithoutExtension(f).Split('-')).Where(p => p.Length == 2)
            .Select(p => (From: long.Parse(p[0], CultureInfo.InvariantCulture), To: long.Parse(p[1], CultureInfo.InvariantCulture))).ToArray();
        var from = ranges.Min(r => r.From);
        var to = ranges.Max(r => r.To);
        AggregateCut snapshot;
        lock (_stateLock) snapshot = _archive.Snapshot(from, to);
        var path = Path.Combine(_directory.Aggregates, AggregateFile.FileName(from, to, pending: false));
        DurableFiles.WriteAtomically(path, AggregateFile.Encode(snapshot, blockId: string.Empty));
        foreach (var file in files)
        {
            if (file != path) DurableFiles.TryDelete(file);
        }
        DurableFiles.SyncDirectory(_directory.Aggregates);
    }

    // Sortable by time, unique by chance: "<min start, 16 hex>-<8 random hex>".
    private static string NewBlockId(ulong minStartUnixNano) =>
        minStartUnixNano.ToString("x16", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
}
