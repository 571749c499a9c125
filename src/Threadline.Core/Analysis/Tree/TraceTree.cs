using System.Runtime.InteropServices;
using Threadline.Core.Model;

namespace Threadline.Core.Analysis;

/// <summary>
/// The parent/child structure of one trace's spans, built once and shared by the analyses.
/// Spans are addressed by their index in <see cref="Spans"/>. Orphans (a span naming a parent
/// that is not in the trace) are kept as tops of their own subtrees; a duplicated span id keeps
/// its first span as the parent of every child naming it; a parent chain that loops is cut at one
/// span, which then counts as a top. Built without recursion, so a chain of a million spans is fine.
/// </summary>
public sealed class TraceTree
{
    private readonly int[] _parent;
    private readonly int[] _childStart;
    private readonly int[] _children;
    private readonly int[] _depth;
    private readonly Dictionary<SpanId, int> _indexById;

    private TraceTree(
        IReadOnlyList<Span> spans, int[] parent, int[] childStart, int[] children, int[] depth, Dictionary<SpanId, int> indexById,
        int[] roots, int[] orphans, int[] loopBreaks, DuplicateSpanId[] duplicates, int maxDepth)
    {
        Spans = spans;
        _parent = parent;
        _childStart = childStart;
        _children = children;
        _depth = depth;
        _indexById = indexById;
        Roots = roots;
        Orphans = orphans;
        LoopBreaks = loopBreaks;
        Tops = [.. roots.Concat(orphans).Concat(loopBreaks).Order(Comparer<int>.Create((a, b) => CompareByStart(spans, a, b)))];
        Duplicates = duplicates;
        Depth = maxDepth;
    }

    /// <summary>The spans, as given to <see cref="Build"/>; every index in this tree points into it.</summary>
    public IReadOnlyList<Span> Spans { get; }

    public int Count => _parent.Length;

    /// <summary>Spans without a parent id, ordered by start time.</summary>
    public IReadOnlyList<int> Roots { get; }

    /// <summary>Spans naming a parent id that no span of the trace has, ordered by start time.</summary>
    public IReadOnlyList<int> Orphans { get; }

    /// <summary>Spans whose parent link was cut because following parents from them came back to them.</summary>
    public IReadOnlyList<int> LoopBreaks { get; }

    /// <summary>Span ids carried by more than one span.</summary>
    public IReadOnlyList<DuplicateSpanId> Duplicates { get; }

    /// <summary>Levels in the deepest branch: 1 for a lone root, 0 for an empty trace.</summary>
    public int Depth { get; }

    /// <summary>The tops of every subtree (roots, orphans, loop breaks), ordered by start time then index.</summary>
    public IReadOnlyList<int> Tops { get; }

    /// <summary>The index of the span's parent, or -1 for a top (root, orphan, loop break).</summary>
    public int ParentOf(int index) => _parent[index];

    /// <summary>The span's children, ordered by start time then index.</summary>
    public ReadOnlySpan<int> ChildrenOf(int index) => _children.AsSpan(_childStart[index], _childStart[index + 1] - _childStart[index]);

    /// <summary>0 for a top, its parent's plus one below.</summary>
    public int DepthOf(int index) => _depth[index];

    /// <summary>The index of the (first) span with this id.</summary>
    public bool TryFind(SpanId spanId, out int index) => _indexById.TryGetValue(spanId, out index);

    /// <summary>Indexes the spans of one trace. Runs in O(n log n) time and O(n) memory.</summary>
    public static TraceTree Build(IReadOnlyList<Span> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var count = spans.Count;
        var indexById = new Dictionary<SpanId, int>(count);
        Dictionary<SpanId, List<int>>? duplicateIndexes = null;
        for (var i = 0; i < count; i++)
        {
            ref var first = ref CollectionsMarshal.GetValueRefOrAddDefault(indexById, spans[i].SpanId, out var exists);
            if (!exists)
            {
                first = i;
                continue;
            }
            duplicateIndexes ??= [];
            if (!duplicateIndexes.TryGetValue(spans[i].SpanId, out var list))
                duplicateIndexes[spans[i].SpanId] = list = [first];
            list.Add(i);
        }

        var parent = new int[count];
        var roots = new List<int>();
        var orphans = new List<int>();
        for (var i = 0; i < count; i++)
        {
            var span = spans[i];
            if (span.ParentSpanId.IsEmpty)
            {
                parent[i] = -1;
                roots.Add(i);
            }
            else if (indexById.TryGetValue(span.ParentSpanId, out var p))
            {
                parent[i] = p;
            }
            else
            {
                parent[i] = -1;
                orphans.Add(i);
            }
        }

        var loopBreaks = CutLoops(parent);
        var (childStart, children) = IndexChildren(spans, parent);
        var depth = new int[count];
        var maxDepth = ComputeDepths(parent, childStart, children, depth);

        var byStart = Comparer<int>.Create((a, b) => CompareByStart(spans, a, b));
        roots.Sort(byStart);
        orphans.Sort(byStart);
        loopBreaks.Sort(byStart);
        var duplicates = duplicateIndexes is null
            ? []
            : duplicateIndexes.Select(d => new DuplicateSpanId(d.Key, d.Value.ToArray())).OrderBy(d => d.Indexes[0]).ToArray();
        return new TraceTree(spans, parent, childStart, children, depth, indexById, [.. roots], [.. orphans], [.. loopBreaks], duplicates, maxDepth);
    }

    private static int CompareByStart(IReadOnlyList<Span> spans, int a, int b)
    {
        var byTime = spans[a].StartTimeUnixNano.CompareTo(spans[b].StartTimeUnixNano);
        return byTime != 0 ? byTime : a.CompareTo(b);
    }

    /// <summary>
    /// Walks up from every span, marking the walk; meeting a span of the same walk is a loop, cut
    /// there. Each span is walked once, so this is linear.
    /// </summary>
    private static List<int> CutLoops(int[] parent)
    {
        const int Unvisited = 0, Done = -1;
        var walk = new int[parent.Length]; // 0 unvisited, -1 done, k > 0 on walk number k
        var cuts = new List<int>();
        for (var start = 0; start < parent.Length; start++)
        {
            if (walk[start] != Unvisited) continue;
            var mark = start + 1;
            var at = start;
            while (at >= 0 && walk[at] == Unvisited)
            {
                walk[at] = mark;
                at = parent[at];
            }
            if (at >= 0 && walk[at] == mark)
            {
                // The loop closes at 'at': cut its parent link so it becomes a top.
                parent[at] = -1;
                cuts.Add(at);
            }
            for (at = start; at >= 0 && walk[at] == mark; at = parent[at]) walk[at] = Done;
        }
        return cuts;
    }

    /// <summary>Children in one array, each parent's run sorted by start time (compressed sparse rows).</summary>
    private static (int[] Start, int[] Children) IndexChildren(IReadOnlyList<Span> spans, int[] parent)
    {
        var count = parent.Length;
        var start = new int[count + 1];
        foreach (var p in parent)
        {
            if (p >= 0) start[p + 1]++;
        }
        for (var i = 0; i < count; i++) start[i + 1] += start[i];
        var children = new int[start[count]];
        var fill = start.AsSpan(0, count).ToArray();
        for (var i = 0; i < count; i++)
        {
            var p = parent[i];
            if (p >= 0) children[fill[p]++] = i;
        }

        var keys = new ulong[children.Length];
        for (var i = 0; i < children.Length; i++) keys[i] = spans[children[i]].StartTimeUnixNano;
        for (var p = 0; p < count; p++)
        {
            var length = start[p + 1] - start[p];
            // Indexes were filled in increasing order and the sort below is unstable, so ties are
            // broken by index explicitly only when they occur (rare); sorting keys keeps it fast.
            if (length > 1) SortRun(keys.AsSpan(start[p], length), children.AsSpan(start[p], length));
        }
        return (start, children);
    }

    private static void SortRun(Span<ulong> keys, Span<int> items)
    {
        var sorted = true;
        for (var i = 1; i < keys.Length && sorted; i++) sorted = keys[i - 1] <= keys[i];
        if (sorted) return;
        keys.Sort(items);
        // Equal starts: restore index order within each tie so the order is deterministic.
        var runStart = 0;
        for (var i = 1; i <= keys.Length; i++)
        {
            if (i == keys.Length || keys[i] != keys[runStart])
            {
                if (i - runStart > 1) items[runStart..i].Sort();
                runStart = i;
            }
        }
    }

    /// <summary>Breadth-first from the tops with an explicit queue; returns the number of levels.</summary>
    private static int ComputeDepths(int[] parent, int[] childStart, int[] children, int[] depth)
    {
        var queue = new int[parent.Length];
        int head = 0, tail = 0;
        for (var i = 0; i < parent.Length; i++)
        {
            if (parent[i] < 0) queue[tail++] = i;
        }
        var max = -1;
        while (head < tail)
        {
            var at = queue[head++];
            var d = depth[at];
            if (d > max) max = d;
            for (var c = childStart[at]; c < childStart[at + 1]; c++)
            {
                depth[children[c]] = d + 1;
                queue[tail++] = children[c];
            }
        }
        return max + 1;
    }
}

/// <summary>A span id carried by several spans of one trace; <see cref="Indexes"/> in input order, the first one keeps the children.</summary>
public sealed record DuplicateSpanId(SpanId SpanId, IReadOnlyList<int> Indexes);
