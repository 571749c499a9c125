using System.Diagnostics;
using Threadline.Core.Model;
using Threadline.Pipeline;

namespace Threadline.UiBench;

/// <summary>
/// Fills the server through its ingest queue, behind the receivers: the same stages and store as an export, without
/// encoding and decoding OTLP in the same process, which on a shared 2-core machine would make loading ten million
/// spans take longer than the session. What is measured is the pages, not ingest.
/// </summary>
internal sealed class SpanLoader(IngestQueue queue)
{
    public long SpansStored { get; private set; }

    /// <summary>Queues <paramref name="batches"/> (waiting while the queue is full), then waits until the store has them all.</summary>
    public async Task LoadAsync(string what, IEnumerable<List<Span>> batches, long total, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        var pending = new Queue<(IngestTicket Ticket, int Count)>();
        var before = SpansStored;
        foreach (var batch in batches)
        {
            IngestTicket? ticket;
            while ((ticket = queue.TryEnqueue(batch)) is null)
            {
                // Full: wait for the oldest batch to be stored, as an exporter waits out a 429.
                if (pending.Count == 0) await Task.Delay(20, cancellationToken);
                else await Drain(pending.Dequeue());
            }
            pending.Enqueue((ticket, batch.Count));
            if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(15))
            {
                lastReport = clock.Elapsed;
                Console.WriteLine($"  {what}: {SpansStored - before:N0} of {total:N0} spans stored ({(SpansStored - before) / clock.Elapsed.TotalSeconds:N0}/s)");
            }
        }
        while (pending.Count > 0) await Drain(pending.Dequeue());
        Console.WriteLine($"  {what}: {SpansStored - before:N0} spans stored in {clock.Elapsed.TotalSeconds:N1} s ({(SpansStored - before) / clock.Elapsed.TotalSeconds:N0}/s)");

        async Task Drain((IngestTicket Ticket, int Count) entry)
        {
            await entry.Ticket.Completion.WaitAsync(cancellationToken);
            SpansStored += entry.Count;
        }
    }
}
