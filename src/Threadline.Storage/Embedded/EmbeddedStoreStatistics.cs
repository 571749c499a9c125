namespace Threadline.Storage.Embedded;

/// <summary>A snapshot of the embedded engine's figures, for self-metrics and tests.</summary>
/// <param name="HeadSpans">Spans in memory (the active head and heads being written out).</param>
/// <param name="Blocks">Blocks the store reads.</param>
/// <param name="BlockBytes">Bytes of those blocks on disk.</param>
/// <param name="BlockSpans">Spans in those blocks.</param>
/// <param name="WalBytes">Bytes of log segments on disk.</param>
/// <param name="Fsyncs">Log writes fsynced since open.</param>
/// <param name="SyncedAppends">Appends acknowledged by those fsyncs.</param>
/// <param name="WriteFailures">Log writes that failed (their appends were refused).</param>
/// <param name="Cuts">Heads written out as blocks.</param>
/// <param name="Compactions">Block merges.</param>
/// <param name="RetentionDeletions">Blocks deleted by age or disk cap.</param>
/// <param name="Corruptions">Damaged records, blocks or files found.</param>
/// <param name="MaintenanceFailures">Cuts, compactions or retention passes that failed (and are retried).</param>
/// <param name="ReplayedSpans">Spans replayed from the log at open.</param>
public readonly record struct EmbeddedStoreStatistics(
    long HeadSpans, int Blocks, long BlockBytes, long BlockSpans, long WalBytes,
    long Fsyncs, long SyncedAppends, long WriteFailures, long Cuts, long Compactions,
    long RetentionDeletions, long Corruptions, long MaintenanceFailures, long ReplayedSpans);

/// <summary>The engine's running counters; each updated by one task, read by any.</summary>
internal sealed class StoreCounters
{
    private long _fsyncs, _syncedAppends, _writeFailures, _cuts, _compactions, _retentionDeletions, _corruptions, _maintenanceFailures, _replayedSpans;

    public long Fsyncs => Volatile.Read(ref _fsyncs);
    public long SyncedAppends => Volatile.Read(ref _syncedAppends);
    public long WriteFailures => Volatile.Read(ref _writeFailures);
    public long Cuts => Volatile.Read(ref _cuts);
    public long Compactions => Volatile.Read(ref _compactions);
    public long RetentionDeletions => Volatile.Read(ref _retentionDeletions);
    public long Corruptions => Volatile.Read(ref _corruptions);
    public long MaintenanceFailures => Volatile.Read(ref _maintenanceFailures);
    public long ReplayedSpans => Volatile.Read(ref _replayedSpans);

    public void Synced(int appends)
    {
        Interlocked.Increment(ref _fsyncs);
        Interlocked.Add(ref _syncedAppends, appends);
    }

    public void WriteFailure() => Interlocked.Increment(ref _writeFailures);
    public void Cut() => Interlocked.Increment(ref _cuts);
    public void Compaction() => Interlocked.Increment(ref _compactions);
    public void RetentionDeletion() => Interlocked.Increment(ref _retentionDeletions);
    public void Corruption() => Interlocked.Increment(ref _corruptions);
    public void MaintenanceFailure() => Interlocked.Increment(ref _maintenanceFailures);
    public void Replayed(long spans) => Interlocked.Add(ref _replayedSpans, spans);

    public EmbeddedStoreStatistics Snapshot(long headSpans, int blocks, long blockBytes, long blockSpans, long walBytes) => new(
        headSpans, blocks, blockBytes, blockSpans, walBytes, Fsyncs, SyncedAppends, WriteFailures, Cuts, Compactions,
        RetentionDeletions, Corruptions, MaintenanceFailures, ReplayedSpans);
}
