using Threadline.Storage.ClickHouse.Ingest;

namespace Threadline.Storage.ClickHouse.Tests;

public sealed class GroupInsertTests
{
    [Fact]
    public async Task Batches_submitted_while_an_insert_is_in_flight_go_together_in_the_next_one()
    {
        var writes = new List<int[]>();
        var firstStarted = new TaskCompletionSource();
        var releaseFirst = new TaskCompletionSource();
        var inserts = new GroupInsert<int>(async batches =>
        {
            lock (writes) writes.Add([.. batches]);
            if (batches[0] == 1)
            {
                firstStarted.SetResult();
                await releaseFirst.Task;
            }
        }, spansOf: b => b, maxSpansPerInsert: 100, maxInserts: 1);

        var first = inserts.SubmitAsync(1);
        await firstStarted.Task;
        var waiting = new[] { inserts.SubmitAsync(2), inserts.SubmitAsync(3), inserts.SubmitAsync(4) };
        Assert.DoesNotContain(waiting, t => t.IsCompleted);
        releaseFirst.SetResult();
        await Task.WhenAll([first, .. waiting]);

        Assert.Equal([[1], [2, 3, 4]], writes);
    }

    [Fact]
    public async Task A_failed_insert_fails_every_batch_it_carried_and_the_next_ones_still_go()
    {
        var gate = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        var calls = 0;
        var inserts = new GroupInsert<int>(async batches =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                started.SetResult();
                await gate.Task;
            }
            if (batches.Contains(2)) throw new StoreUnavailableException("shard down");
        }, spansOf: b => b, maxSpansPerInsert: 100, maxInserts: 1);

        var first = inserts.SubmitAsync(1);
        await started.Task;
        var second = inserts.SubmitAsync(2);
        var third = inserts.SubmitAsync(3);
        gate.SetResult();

        await first;
        Assert.Equal("shard down", (await Assert.ThrowsAsync<StoreUnavailableException>(() => second)).Message);
        Assert.Equal("shard down", (await Assert.ThrowsAsync<StoreUnavailableException>(() => third)).Message);
        await inserts.SubmitAsync(5);
    }

    [Fact]
    public async Task An_insert_carries_at_most_the_span_cap_unless_one_batch_alone_is_larger()
    {
        var writes = new List<int[]>();
        var gate = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        var inserts = new GroupInsert<int>(async batches =>
        {
            lock (writes) writes.Add([.. batches]);
            if (writes.Count == 1)
            {
                started.SetResult();
                await gate.Task;
            }
        }, spansOf: b => b, maxSpansPerInsert: 10, maxInserts: 1);

        var tasks = new List<Task> { inserts.SubmitAsync(1) };
        await started.Task;
        tasks.AddRange([inserts.SubmitAsync(6), inserts.SubmitAsync(4), inserts.SubmitAsync(25), inserts.SubmitAsync(3)]);
        gate.SetResult();
        await Task.WhenAll(tasks);

        Assert.Equal([[1], [6, 4], [25], [3]], writes);
    }
}
