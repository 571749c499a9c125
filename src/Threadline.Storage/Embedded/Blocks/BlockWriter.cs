using Threadline.Core.Model;

namespace Threadline.Storage.Embedded.Blocks;

/// <summary>Writes spans as a new block, atomically.</summary>
public static class BlockWriter
{
    /// <summary>
    /// Writes <paramref name="spans"/> (any order; every span of a trace in this one call) as a
    /// block: sorted by trace id then start, under <c>&lt;blocksDirectory&gt;/.tmp-&lt;id&gt;/</c>,
    /// files and directory fsynced, then renamed to <c>&lt;blocksDirectory&gt;/&lt;id&gt;/</c>, so a
    /// block is whole or absent. Returns the opened block.
    /// </summary>
    /// <exception cref="ArgumentException">No spans, or a bad option.</exception>
    public static Block Write(string blocksDirectory, IEnumerable<Span> spans, BlockWriteOptions options, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(blocksDirectory);
        ArgumentNullException.ThrowIfNull(spans);
        ArgumentNullException.ThrowIfNull(options);
        var sorted = spans.ToArray();
        if (sorted.Length == 0) throw new ArgumentException("A block needs at least one span.", nameof(spans));
        Array.Sort(sorted, StoredOrder);
        var minStart = sorted.Min(s => s.StartTimeUnixNano);
        return WriteSortedAsync(blocksDirectory, Traces(sorted), options with { BlockId = options.BlockId ?? BlockBuilder.NewBlockId(minStart) }, ct)
            .GetAwaiter().GetResult();
    }

    /// <summary>Trace id, then start time, then span id (so equal starts have one order).</summary>
    internal static int StoredOrder(Span a, Span b)
    {
        var order = a.TraceId.CompareTo(b.TraceId);
        if (order != 0) return order;
        order = a.StartTimeUnixNano.CompareTo(b.StartTimeUnixNano);
        return order != 0 ? order : a.SpanId.CompareTo(b.SpanId);
    }

    /// <summary>Writes traces given in trace-id order (each sorted by start) as a block.</summary>
    internal static async Task<Block> WriteSortedAsync(string blocksDirectory, IEnumerable<IReadOnlyList<Span>> traces, BlockWriteOptions options, CancellationToken ct)
    {
        var builder = await BlockBuilder.CreateAsync(blocksDirectory, options.BlockId!, options, ct);
        await using (builder)
        {
            foreach (var trace in traces)
            {
                ct.ThrowIfCancellationRequested();
                await builder.AddTraceAsync(trace, ct);
            }
            return await builder.FinishAsync(ct);
        }
    }

    private static IEnumerable<IReadOnlyList<Span>> Traces(Span[] sorted)
    {
        var first = 0;
        for (var i = 1; i <= sorted.Length; i++)
        {
            if (i == sorted.Length || sorted[i].TraceId != sorted[first].TraceId)
            {
                yield return new ArraySegment<Span>(sorted, first, i - first);
                first = i;
            }
        }
    }
}
