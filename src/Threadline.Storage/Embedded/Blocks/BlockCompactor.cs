using Threadline.Core.Model;

namespace Threadline.Storage.Embedded.Blocks;

/// <summary>Merges blocks into one.</summary>
public static class BlockCompactor
{
    /// <summary>
    /// Writes one block holding every span of <paramref name="inputs"/>: a merge-join by trace id,
    /// so that the pieces of one trace spread over several blocks become one trace (a span present
    /// in two inputs, same span id and start, is kept once). Reads one row group at a time from
    /// each input: memory is bounded by a row group per input plus one output row group, not by
    /// the inputs' size. Level is one more than the highest input's unless
    /// <paramref name="options"/> gives one above zero. The inputs are left in place; the caller
    /// deletes them once the result is published.
    /// </summary>
    public static Block Merge(string blocksDirectory, IReadOnlyList<Block> inputs, BlockWriteOptions options, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(blocksDirectory);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(options);
        if (inputs.Count == 0) throw new ArgumentException("Nothing to merge: no input blocks.", nameof(inputs));
        var level = options.CompactionLevel > 0 ? options.CompactionLevel : inputs.Max(b => b.Meta.CompactionLevel) + 1;
        var minStart = inputs.Min(b => b.Meta.MinStartUnixNano);
        var merged = options with { CompactionLevel = level, BlockId = options.BlockId ?? BlockBuilder.NewBlockId(minStart) };
        return BlockWriter.WriteSortedAsync(blocksDirectory, MergeJoin(inputs, ct), merged, ct).GetAwaiter().GetResult();
    }

    private static IEnumerable<IReadOnlyList<Span>> MergeJoin(IReadOnlyList<Block> inputs, CancellationToken ct)
    {
        var cursors = new List<IEnumerator<IReadOnlyList<Span>>>(inputs.Count);
        try
        {
            var heads = new PriorityQueue<int, TraceId>(inputs.Count);
            foreach (var input in inputs)
            {
                var cursor = input.ReadTraces(ct).GetEnumerator();
                cursors.Add(cursor);
                if (cursor.MoveNext()) heads.Enqueue(cursors.Count - 1, cursor.Current[0].TraceId);
            }
            var pieces = new List<IReadOnlyList<Span>>();
            while (heads.TryPeek(out _, out var id))
            {
                pieces.Clear();
                while (heads.TryPeek(out var i, out var next) && next == id)
                {
                    heads.Dequeue();
                    pieces.Add(cursors[i].Current);
                    if (cursors[i].MoveNext()) heads.Enqueue(i, cursors[i].Current[0].TraceId);
                }
                yield return pieces.Count == 1 ? pieces[0] : Combine(pieces);
            }
        }
        finally
        {
            foreach (var cursor in cursors) cursor.Dispose();
        }
    }

    private static Span[] Combine(List<IReadOnlyList<Span>> pieces)
    {
        var all = pieces.SelectMany(p => p).ToArray();
        Array.Sort(all, BlockWriter.StoredOrder);
        // Equal spans from two inputs (a replayed batch) sort next to each other: keep one.
        var kept = 0;
        for (var i = 0; i < all.Length; i++)
        {
            if (kept > 0 && all[kept - 1].SpanId == all[i].SpanId && all[kept - 1].StartTimeUnixNano == all[i].StartTimeUnixNano) continue;
            all[kept++] = all[i];
        }
        return all[..kept];
    }
}
