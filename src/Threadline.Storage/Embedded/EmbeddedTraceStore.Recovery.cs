using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Threadline.Storage.Embedded.Aggregates;
using Threadline.Storage.Embedded.Blocks;
using Threadline.Storage.Embedded.Format;
using Threadline.Storage.Embedded.Wal;

namespace Threadline.Storage.Embedded;

// Opening: put the directory back into a consistent state after any stop, clean or not.
// Order matters: aggregates first (a committed cut says which log segments are already in a
// block), then blocks, then the log from the first segment no cut covers.
public sealed partial class EmbeddedTraceStore
{
    private void Recover()
    {
        RemoveLeftovers();
        var covered = LoadAggregates();
        var blocks = OpenBlocks();
        var (head, lastSegment) = ReplayLog(covered);
        _nextSegment = Math.Max(lastSegment, covered) + 1;
        if (head is null) head = new Head.Head(_nextSegment, _headOptions, _time);
        _state = new StoreState(head, [], blocks);
        if (head.SpanCount >= _options.HeadMaxSpans)
            _state = _state with { Active = new Head.Head(_nextSegment, _headOptions, _time), Frozen = [head] };
    }

    // Half-written blocks (.tmp-*), temporary files of atomic writes, and compactions that did
    // not finish or finished without deleting their inputs.
    private void RemoveLeftovers()
    {
        foreach (var directory in Directory.EnumerateDirectories(_directory.Blocks))
        {
            if (!BlockDirectory.IsTemporary(Path.GetFileName(directory))) continue;
            _logger.LogInformation("Removing {Directory}, a block whose write did not finish", directory);
            Directory.Delete(directory, recursive: true);
        }
        foreach (var file in Directory.EnumerateFiles(_directory.Aggregates, "*.tmp")) DurableFiles.TryDelete(file);
        foreach (var journal in Directory.EnumerateFiles(_directory.Blocks, "*" + CompactionJournal.Extension))
            CompactionJournal.Recover(journal, _directory.Blocks, _logger);
    }

    // Returns the last log segment whose spans are in a block (0 when none).
    private long LoadAggregates()
    {
        foreach (var pending in Directory.EnumerateFiles(_directory.Aggregates, "*" + AggregateFile.PendingExtension))
        {
            string? blockId = null;
            try
            {
                blockId = AggregateFile.Read(pending).BlockId;
            }
            catch (IOException ex)
            {
                _logger.LogWarning(ex, "Discarding {File}, the aggregates of a cut that did not finish", pending);
            }
            if (blockId is not null && Directory.Exists(Path.Combine(_directory.Blocks, blockId)))
            {
                // The block was published but the process stopped before the commit rename.
                File.Move(pending, pending[..^(AggregateFile.PendingExtension.Length)] + AggregateFile.Extension, overwrite: true);
            }
            else
            {
                File.Delete(pending);
            }
        }
        DurableFiles.SyncDirectory(_directory.Aggregates);

        var cuts = new List<(string Path, AggregateCut Cut)>();
        foreach (var file in Directory.EnumerateFiles(_directory.Aggregates, "*" + AggregateFile.Extension))
        {
            try
            {
                cuts.Add((file, AggregateFile.Read(file).Cut));
            }
            catch (StorageCorruptionException ex)
            {
                _counters.Corruption();
                _logger.LogError(ex, "Span metrics and service-graph edges of {File} are lost: {Reason}; moved aside as .corrupt", file, ex.Message);
                File.Move(file, file + ".corrupt", overwrite: true);
            }
        }
        long covered = 0;
        foreach (var (path, cut) in cuts)
        {
            // A consolidated file covers the ranges of the files it replaced; a crash may have left them.
            if (cuts.Any(other => other.Path != path && other.Cut.FromSegment <= cut.FromSegment && other.Cut.ToSegment >= cut.ToSegment
                && (other.Cut.FromSegment, other.Cut.ToSegment) != (cut.FromSegment, cut.ToSegment)))
            {
                File.Delete(path);
                continue;
            }
            _archive.Add(cut);
            covered = Math.Max(covered, cut.ToSegment);
        }
        return covered;
    }

    private ImmutableArray<BlockHandle> OpenBlocks()
    {
        var blocks = ImmutableArray.CreateBuilder<BlockHandle>();
        foreach (var directory in Directory.EnumerateDirectories(_directory.Blocks).Order(StringComparer.Ordinal))
        {
            try
            {
                blocks.Add(new BlockHandle(Block.Open(directory)));
            }
            catch (Exception ex) when (ex is StorageCorruptionException or UnsupportedFormatVersionException or IOException)
            {
                _counters.Corruption();
                _logger.LogError(ex, "Block {Directory} cannot be read and is skipped (left in place for inspection): {Reason}", directory, ex.Message);
            }
        }
        return blocks.ToImmutable();
    }

    // Replays every segment after the covered ones into one head. Returns the head (null when
    // there was nothing to replay) and the highest segment number seen.
    private (Head.Head? Head, long LastSegment) ReplayLog(long covered)
    {
        var segments = new List<(long Sequence, string Path)>();
        foreach (var file in Directory.EnumerateFiles(_directory.Wal))
        {
            if (WalSegment.TryParseSequence(Path.GetFileName(file), out var sequence)) segments.Add((sequence, file));
        }
        segments.Sort();
        Head.Head? head = null;
        long last = 0;
        for (var i = 0; i < segments.Count; i++)
        {
            var (sequence, path) = segments[i];
            last = Math.Max(last, sequence);
            if (sequence <= covered)
            {
                // Its spans are in a block whose cut committed; the process stopped before deleting it.
                File.Delete(path);
                continue;
            }
            head ??= new Head.Head(sequence, _headOptions, _time);
            var target = head;
            var result = WalReplay.ReadSegment(path, target.Add);
            target.LastSegment = sequence;
            _counters.Replayed(result.Spans);
            if (result.Damage is { } damage)
            {
                _counters.Corruption();
                var isLast = i == segments.Count - 1;
                _logger.LogWarning(damage,
                    "Log replay stopped early in {File} at byte offset {Offset}: {Reason}. {Records} records ({Spans} spans) before it were replayed; {Action}",
                    path, damage.Offset, damage.Message, result.Records, result.Spans,
                    isLast ? "the damaged tail (an append that was never acknowledged) is cut off." : "the rest of this segment cannot be read.");
                if (isLast && result.ValidLength < WalSegment.HeaderLength) File.Delete(path);
                else if (isLast) Truncate(path, result.ValidLength);
            }
        }
        if (segments.Count > 0) DurableFiles.SyncDirectory(_directory.Wal);
        return (head, last);
    }

    private static void Truncate(string path, long length)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
        RandomAccess.SetLength(handle, length);
        RandomAccess.FlushToDisk(handle);
    }
}
