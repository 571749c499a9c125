using System.Collections.Immutable;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Threadline.Core.Model;
using Threadline.Storage.Embedded.Aggregates;
using Threadline.Storage.Embedded.Wal;
using Threadline.Storage.Memory;

namespace Threadline.Storage.Embedded;

/// <summary>
/// The durable engine: a write-ahead log (checksummed records, fsynced before an append
/// completes, one fsync shared by every append waiting), an in-memory head queryable as soon
/// as an append completes, and immutable Parquet blocks the head is written out to, compacted
/// and deleted by retention in the background. Every read answers from the head and the blocks
/// together. See docs/storage-format.md for the files.
/// </summary>
/// <remarks>
/// <para>
/// One writer task owns the log: appends hand it their encoded record through a channel, it
/// writes everything waiting at once, fsyncs, adds the spans to the head and completes the
/// appends. A failed write (disk full, read-only directory) fails only the appends of that
/// write with <see cref="StoreUnavailableException"/>; the next write tries again.
/// </para>
/// <para>
/// One maintenance task does everything else: write out frozen heads, compact, apply
/// retention. The set of heads and blocks is an immutable <see cref="StoreState"/> swapped
/// whole; reads take references on its blocks, so a block compacted or expired away stays
/// readable until the last read using it is done.
/// </para>
/// </remarks>
public sealed partial class EmbeddedTraceStore : ITraceStore, IStoreMetrics, IAsyncDisposable, IDisposable
{
    // One write gathers at most this much; more waits for the next fsync.
    private const int MaxBytesPerWrite = 16 << 20;

    // Heads being written out at most. When the active head is full and this many wait for their
    // block, the log writer waits: a disk slower than ingest makes the ingest queue push back
    // (429) instead of memory growing. Memory holds at most two heads' worth of spans.
    private const int MaxFrozenHeads = 1;

    private readonly EmbeddedStoreOptions _options;
    private readonly DataDirectory _directory;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly MemoryStoreOptions _headOptions;
    private readonly AggregateArchive _archive;
    private readonly Channel<PendingAppend> _appends = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _walLock = new(1, 1);
    private readonly Lock _stateLock = new();
    private readonly SemaphoreSlim _maintenanceSignal = new(0);

    // Cuts, compaction and retention run one at a time (the background loop or a caller of FlushAsync).
    private readonly SemaphoreSlim _maintenanceLock = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _closing = new();
    private TaskCompletionSource _headWrittenOut = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Why the last cut failed (disk full, read-only directory), or null after a cut succeeded.
    private volatile Exception? _cutFailure;
    private readonly Task _writer;
    private readonly Task _maintenance;
    private readonly StoreCounters _counters = new();
    private StoreState _state;
    private WalSegmentWriter? _segment;
    private long _nextSegment;
    private int _disposed;

    private EmbeddedTraceStore(EmbeddedStoreOptions options, DataDirectory directory, ILogger logger, TimeProvider time)
    {
        _options = options;
        _directory = directory;
        _logger = logger;
        _time = time;
        _archive = new AggregateArchive(options.MaxAggregateEntries);
        _headOptions = new MemoryStoreOptions
        {
            // The head is cut long before this; it must never evict.
            MaxSpans = int.MaxValue,
            MaxAggregateEntries = options.MaxAggregateEntries,
            MaxAggregateKeysPerMinute = options.MaxAggregateKeysPerMinute,
            PairingWaitSeconds = options.PairingWaitSeconds,
        };
        _state = null!;
        _writer = null!;
        _maintenance = null!;
        try
        {
            Recover();
        }
        catch
        {
            _segment?.Dispose();
            foreach (var block in _state?.Blocks ?? []) block.Retire(delete: false);
            throw;
        }
        _writer = Task.Run(WriteLoopAsync);
        _maintenance = Task.Run(MaintenanceLoopAsync);
    }

    /// <summary>
    /// Opens (creating if needed) the store in <see cref="EmbeddedStoreOptions.DataDirectory"/>:
    /// takes the directory's lock, replays the log into the head (cutting a torn tail) and opens
    /// the blocks (reporting and skipping a corrupt one).
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    /// <exception cref="IOException">The directory is in use by another server, or cannot be created or read.</exception>
    /// <exception cref="Format.UnsupportedFormatVersionException">The directory or its log was written by an unknown format version.</exception>
    public static EmbeddedTraceStore Open(EmbeddedStoreOptions options, ILogger? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var directory = Embedded.DataDirectory.Open(options.DataDirectory);
        try
        {
            return new EmbeddedTraceStore(options, directory, logger ?? NullLogger.Instance, time ?? TimeProvider.System);
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>The data directory, as a full path.</summary>
    public string DataDirectory => _directory.Root;

    /// <summary>What the store holds and has done since it opened.</summary>
    public EmbeddedStoreStatistics Statistics
    {
        get
        {
            var state = Volatile.Read(ref _state);
            return _counters.Snapshot(
                headSpans: state.Heads.Sum(h => h.SpanCount),
                blocks: state.Blocks.Length,
                blockBytes: state.Blocks.Sum(b => b.Block.Meta.SizeBytes),
                blockSpans: state.Blocks.Sum(b => b.Block.Meta.SpanCount),
                walBytes: WalBytes());
        }
    }

    /// <inheritdoc />
    public ValueTask AppendAsync(IReadOnlyList<Span> spans, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spans);
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (spans.Count == 0) return ValueTask.CompletedTask;
        var batch = new Span[spans.Count];
        for (var i = 0; i < batch.Length; i++)
            batch[i] = spans[i] ?? throw new ArgumentException($"Span {i} of the batch is null.", nameof(spans));

        // Encoded here, on the caller's thread, so that concurrent appends encode in parallel
        // and the writer only writes.
        var record = new WalBufferWriter(256 + 512 * batch.Length);
        WalSegment.WriteRecord(record, batch);
        if (record.Length - WalSegment.RecordHeaderLength > WalSegment.MaxRecordBytes)
        {
            var encoded = record.Length;
            record.Return();
            throw new ArgumentException($"A batch of {batch.Length} spans encodes to {encoded} bytes, over the log's {WalSegment.MaxRecordBytes}-byte record limit; append it in smaller batches.", nameof(spans));
        }
        var pending = new PendingAppend(batch, record);
        ObjectDisposedException.ThrowIf(!_appends.Writer.TryWrite(pending), this);
        return new ValueTask(pending.Completion.Task.WaitAsync(cancellationToken));
    }

    /// <inheritdoc />
    public void PublishInstruments(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        meter.CreateObservableCounter("threadline_store_wal_fsyncs", () => _counters.Fsyncs, "{fsync}", "Log writes fsynced (each acknowledges every append waiting for it).");
        meter.CreateObservableCounter("threadline_store_wal_synced_appends", () => _counters.SyncedAppends, "{append}", "Appends acknowledged after an fsync; divided by threadline_store_wal_fsyncs, the appends sharing one fsync.");
        meter.CreateObservableCounter("threadline_store_wal_write_failures", () => _counters.WriteFailures, "{write}", "Log writes that failed (disk full, read-only, I/O error); their appends were refused with 503 / UNAVAILABLE.");
        meter.CreateObservableGauge("threadline_store_wal_bytes", WalBytes, "By", "Bytes of log segments on disk.");
        meter.CreateObservableGauge("threadline_store_head_spans", () => Volatile.Read(ref _state).Heads.Sum(h => h.SpanCount), "{span}", "Spans in memory (the head and heads being written out).");
        meter.CreateObservableGauge("threadline_store_blocks", () => Volatile.Read(ref _state).Blocks.Length, "{block}", "Blocks the store reads.");
        meter.CreateObservableGauge("threadline_store_block_bytes", () => Volatile.Read(ref _state).Blocks.Sum(b => b.Block.Meta.SizeBytes), "By", "Bytes of blocks on disk.");
        meter.CreateObservableGauge("threadline_store_block_spans", () => Volatile.Read(ref _state).Blocks.Sum(b => b.Block.Meta.SpanCount), "{span}", "Spans in blocks.");
        meter.CreateObservableCounter("threadline_store_head_cuts", () => _counters.Cuts, "{block}", "Heads written out as blocks.");
        meter.CreateObservableCounter("threadline_store_compactions", () => _counters.Compactions, "{compaction}", "Block merges.");
        meter.CreateObservableCounter("threadline_store_retention_deleted_blocks", () => _counters.RetentionDeletions, "{block}", "Blocks deleted by age or by the disk cap.");
        meter.CreateObservableCounter("threadline_store_corruptions", () => _counters.Corruptions, "{corruption}", "Damaged records, blocks or files found (log replay, block open or read); each is logged with file and offset.");
        meter.CreateObservableCounter("threadline_store_maintenance_failures", () => _counters.MaintenanceFailures, "{failure}", "Cuts, compactions or retention passes that failed and will be retried.");
        meter.CreateObservableCounter("threadline_store_replayed_spans", () => _counters.ReplayedSpans, "{span}", "Spans replayed from the log when the store opened.");
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _appends.Writer.TryComplete();
        await _closing.CancelAsync().ConfigureAwait(false);
        await _writer.ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _maintenance.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _segment?.Dispose();
        foreach (var block in _state.Blocks) block.Retire(delete: false);
        _directory.Dispose();
        _stopping.Dispose();
        _closing.Dispose();
        _walLock.Dispose();
        _maintenanceSignal.Dispose();
        _maintenanceLock.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task WriteLoopAsync()
    {
        var reader = _appends.Reader;
        var batch = new List<PendingAppend>();
        var records = new List<ReadOnlyMemory<byte>>();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (Volatile.Read(ref _state).Active.SpanCount >= _options.HeadMaxSpans && !await FreezeWhenRoomAsync().ConfigureAwait(false))
            {
                RefuseWaiting(reader);
                continue;
            }
            if (_options.GroupCommitWaitMicroseconds > 0 && reader.Count == 1)
                await Task.Delay(TimeSpan.FromMicroseconds(_options.GroupCommitWaitMicroseconds)).ConfigureAwait(false);
            batch.Clear();
            records.Clear();
            long bytes = 0;
            while (bytes < MaxBytesPerWrite && reader.TryRead(out var pending))
            {
                batch.Add(pending);
                records.Add(pending.Record.WrittenMemory);
                bytes += pending.Record.Length;
            }
            await _walLock.WaitAsync().ConfigureAwait(false);
            try
            {
                Write(batch, records, bytes);
            }
            finally
            {
                _walLock.Release();
                foreach (var pending in batch) pending.Record.Return();
            }
        }
    }

    // The active head is full: waits until a frozen head has become a block, then freezes it.
    // False when blocks cannot be written now (the appends waiting are then refused, as a failed
    // log write refuses them: memory must not grow while the disk refuses blocks).
    private async Task<bool> FreezeWhenRoomAsync()
    {
        while (!_closing.IsCancellationRequested)
        {
            // Read before the state: a cut swaps the state (or records its failure), then completes this.
            var writtenOut = Volatile.Read(ref _headWrittenOut).Task;
            if (Volatile.Read(ref _state).Frozen.Length < MaxFrozenHeads) break;
            if (_cutFailure is not null) return false;
            try
            {
                await writtenOut.WaitAsync(_closing.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Closing: the active head stays as it is; the log replays it at the next open.
                return true;
            }
        }
        await _walLock.WaitAsync().ConfigureAwait(false);
        try
        {
            FreezeActiveHead();
        }
        finally
        {
            _walLock.Release();
        }
        return true;
    }

    private void RefuseWaiting(ChannelReader<PendingAppend> reader)
    {
        var refusal = new StoreUnavailableException(
            $"The embedded store cannot write blocks in {_directory.Blocks} ({_cutFailure?.Message}) and its memory is full; nothing of this batch was kept. Free disk space or make the directory writable; ingest resumes by itself.",
            _cutFailure);
        _counters.WriteFailure();
        while (reader.TryRead(out var pending))
        {
            pending.Completion.TrySetException(refusal);
            pending.Record.Return();
        }
    }

    // Under _walLock.
    private void Write(List<PendingAppend> batch, List<ReadOnlyMemory<byte>> records, long bytes)
    {
        try
        {
            if (_segment is not null && _segment.Length >= _options.WalSegmentBytes) CloseSegment();
            if (_segment is null)
            {
                _segment = WalSegmentWriter.Create(_directory.Wal, _nextSegment);
                _nextSegment++;
            }
            _segment.Append(records, bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _counters.WriteFailure();
            _logger.LogWarning(ex, "The embedded store could not write {Appends} appends to its log; they are refused and the next append retries", batch.Count);
            // A segment that failed once is not trusted with more: the next write starts a new one.
            CloseSegment();
            var refusal = new StoreUnavailableException(
                $"The embedded store could not write its log in {_directory.Wal} ({ex.Message}); nothing of this batch was kept. Free disk space or make the directory writable; ingest resumes by itself.", ex);
            foreach (var pending in batch) pending.Completion.TrySetException(refusal);
            return;
        }

        var head = _state.Active;
        foreach (var pending in batch) head.Add(pending.Spans);
        head.LastSegment = _segment.Sequence;
        _counters.Synced(batch.Count);
        foreach (var pending in batch) pending.Completion.TrySetResult();
        if (head.SpanCount >= _options.HeadMaxSpans && _state.Frozen.Length < MaxFrozenHeads) FreezeActiveHead();
    }

    private void CloseSegment()
    {
        _segment?.Dispose();
        _segment = null;
    }

    // Under _walLock: no append is between its log write and its head.
    private void FreezeActiveHead()
    {
        var state = _state;
        if (state.Active.SpanCount == 0) return;
        // The frozen head's segments are closed: its spans are exactly those of its segments.
        CloseSegment();
        lock (_stateLock)
        {
            // Re-read under the lock: a cut, compaction or retention may have swapped the state
            // while the segment was closing, and building on the stale copy would undo it
            // (bringing back retired, disposed blocks). Only the log writer changes Active.
            var current = _state;
            _state = current with { Active = new Head.Head(_nextSegment, _headOptions, _time), Frozen = current.Frozen.Add(current.Active) };
        }
        _maintenanceSignal.Release();
    }

    private long WalBytes()
    {
        try
        {
            return new DirectoryInfo(_directory.Wal).EnumerateFiles("*" + WalSegment.Extension).Sum(f => f.Length);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    // Takes a reference on every block of the current state; a block retired meanwhile means a
    // newer state exists, so read that one instead.
    private StoreView AcquireView()
    {
        while (true)
        {
            var state = Volatile.Read(ref _state);
            var acquired = new List<BlockHandle>(state.Blocks.Length);
            var complete = true;
            foreach (var block in state.Blocks)
            {
                if (block.TryAcquire())
                {
                    acquired.Add(block);
                    continue;
                }
                complete = false;
                break;
            }
            if (complete) return new StoreView(state, [.. acquired]);
            foreach (var block in acquired) block.Release();
        }
    }

    private sealed class PendingAppend(Span[] spans, WalBufferWriter record)
    {
        public Span[] Spans { get; } = spans;
        public WalBufferWriter Record { get; } = record;
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
