namespace Threadline.Storage.ClickHouse.Ingest;

/// <summary>
/// Joins the batches of concurrent appends into one insert. ClickHouse writes a new part per
/// insert and merges parts in the background, so many small inserts (one per OTLP request)
/// cost far more than a few large ones. An append hands over its rows and waits; while an
/// insert is in flight the next appends gather, and go together in the next one: a group
/// commit, as the embedded engine's log does for fsync. A few inserts run at once, so that the
/// round trips overlap. Every append of an insert completes with it, or fails with its exception.
/// </summary>
internal sealed class GroupInsert<TBatch>(Func<IReadOnlyList<TBatch>, Task> write, Func<TBatch, int> spansOf, int maxSpansPerInsert, int maxInserts)
{
    private readonly Lock _lock = new();
    private readonly List<(TBatch Batch, TaskCompletionSource Done)> _pending = [];
    private int _writers;

    /// <summary>Queues the batch; the task completes when the insert that carries it has.</summary>
    public Task SubmitAsync(TBatch batch)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _pending.Add((batch, done));
            if (_writers == maxInserts) return done.Task;
            _writers++;
        }
        _ = Task.Run(DrainAsync);
        return done.Task;
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            List<(TBatch Batch, TaskCompletionSource Done)> group;
            lock (_lock)
            {
                if (_pending.Count == 0)
                {
                    _writers--;
                    return;
                }
                group = TakeGroup();
            }
            try
            {
                await write([.. group.Select(g => g.Batch)]).ConfigureAwait(false);
                foreach (var (_, done) in group) done.TrySetResult();
            }
            catch (Exception e)
            {
                foreach (var (_, done) in group) done.TrySetException(e);
            }
        }
    }

    // The oldest pending batches up to the span cap (at least one, however large).
    private List<(TBatch, TaskCompletionSource)> TakeGroup()
    {
        var spans = 0;
        var take = 0;
        while (take < _pending.Count && (take == 0 || spans + spansOf(_pending[take].Batch) <= maxSpansPerInsert))
        {
            spans += spansOf(_pending[take].Batch);
            take++;
        }
        var group = _pending.GetRange(0, take);
        _pending.RemoveRange(0, take);
        return group;
    }
}
