using Threadline.Core.Model;

namespace Threadline.Core.Analysis;

/// <summary>
/// The chain of span segments that set a trace's end-to-end latency.
/// <para>
/// Walking back from the end of a span's window, the child that finished last (within what is
/// left of the window) was what the span waited for: its slice goes to that child, recursively;
/// then the child that finished before that child started, and so on; the gaps between critical
/// children are the span's own time. Children overlapping an already critical child are skipped,
/// which is how parallel and overlapping children are handled.
/// </para>
/// <para>
/// Async work: a span's window ends at the latest end in its subtree, not at its own end, so a child
/// that outlives its parent (fire-and-forget, a PRODUCER's CONSUMER that runs after the producer
/// returned) extends the trace and is on the path; the wait between the parent's end and such a child
/// (time in a queue) is credited to the parent, which started that work. A subtree whose top is
/// reached only by a span link (the top has no parent in the trace, or a missing one, and links to a
/// span of the trace) is treated as an async child of the linked span.
/// </para>
/// <para>
/// Several roots or orphan subtrees: the path runs through the one holding the trace's last end
/// (ties: the earliest start). Spans never ended, or ending before they start, count as lasting 0 ns.
/// Runs in O(n log n) time with explicit stacks, never recursion, so depth is unlimited.
/// </para>
/// </summary>
public static class CriticalPath
{
    /// <summary>Computes the path, on skew-adjusted times when <paramref name="skew"/> is given (recommended).</summary>
    public static CriticalPathResult Compute(TraceTree tree, ClockSkewResult? skew = null)
    {
        ArgumentNullException.ThrowIfNull(tree);
        if (skew is not null && !ReferenceEquals(skew.Tree, tree))
            throw new ArgumentException("The skew result was computed for another trace tree.", nameof(skew));
        var count = tree.Count;
        if (count == 0) return new CriticalPathResult(-1, 0, 0, [], []);

        var start = new ulong[count];
        var end = new ulong[count];
        for (var i = 0; i < count; i++)
        {
            var span = tree.Spans[i];
            var shift = skew?.ShiftOf(i) ?? 0;
            start[i] = ClockSkewResult.Shifted(span.StartTimeUnixNano, shift);
            var e = span.EndTimeUnixNano == 0 ? 0 : ClockSkewResult.Shifted(span.EndTimeUnixNano, shift);
            end[i] = e > start[i] ? e : start[i];
        }

        var linkParent = AttachLinkedTops(tree);
        var (childStart, children) = FollowedChildren(tree, linkParent);
        var order = TopDownOrder(count, linkParent, tree, childStart, children);

        // Latest end of each subtree, children before parents.
        var subtreeEnd = (ulong[])end.Clone();
        for (var k = order.Length - 1; k >= 0; k--)
        {
            var at = order[k];
            for (var c = childStart[at]; c < childStart[at + 1]; c++)
            {
                if (subtreeEnd[children[c]] > subtreeEnd[at]) subtreeEnd[at] = subtreeEnd[children[c]];
            }
        }
        SortChildrenByEndDescending(childStart, children, subtreeEnd, start);

        var top = -1;
        foreach (var candidate in tree.Tops)
        {
            if (linkParent[candidate] >= 0) continue;
            if (top < 0 || subtreeEnd[candidate] > subtreeEnd[top]
                || (subtreeEnd[candidate] == subtreeEnd[top] && start[candidate] < start[top]))
                top = candidate;
        }

        var segments = Walk(top, start, subtreeEnd, childStart, children);
        return new CriticalPathResult(top, start[top], subtreeEnd[top], segments, Contributions(segments, count));
    }

    /// <summary>For each top reaching a span of another subtree by a link, that span (union-find keeps it a forest).</summary>
    private static int[] AttachLinkedTops(TraceTree tree)
    {
        var linkParent = new int[tree.Count];
        Array.Fill(linkParent, -1);
        var tops = tree.Tops;
        if (tops.Count < 2) return linkParent;

        var topOf = new int[tree.Count];
        var queue = new int[tree.Count];
        int head = 0, tail = 0;
        foreach (var t in tops)
        {
            topOf[t] = t;
            queue[tail++] = t;
        }
        while (head < tail)
        {
            var at = queue[head++];
            foreach (var child in tree.ChildrenOf(at))
            {
                topOf[child] = topOf[at];
                queue[tail++] = child;
            }
        }

        var group = new Dictionary<int, int>();
        int Find(int t)
        {
            while (group.TryGetValue(t, out var up) && up != t) t = up;
            return t;
        }
        foreach (var t in tops)
        {
            var span = tree.Spans[t];
            foreach (var link in span.Links)
            {
                if (link.TraceId != span.TraceId || !tree.TryFind(link.SpanId, out var target)) continue;
                var targetGroup = Find(topOf[target]);
                if (targetGroup == Find(t)) continue;
                group[Find(t)] = targetGroup;
                linkParent[t] = target;
                break;
            }
        }
        return linkParent;
    }

    private static (int[] Start, int[] Children) FollowedChildren(TraceTree tree, int[] linkParent)
    {
        var count = tree.Count;
        var start = new int[count + 1];
        for (var i = 0; i < count; i++)
        {
            var p = tree.ParentOf(i) >= 0 ? tree.ParentOf(i) : linkParent[i];
            if (p >= 0) start[p + 1]++;
        }
        for (var i = 0; i < count; i++) start[i + 1] += start[i];
        var children = new int[start[count]];
        var fill = start.AsSpan(0, count).ToArray();
        for (var i = 0; i < count; i++)
        {
            var p = tree.ParentOf(i) >= 0 ? tree.ParentOf(i) : linkParent[i];
            if (p >= 0) children[fill[p]++] = i;
        }
        return (start, children);
    }

    private static int[] TopDownOrder(int count, int[] linkParent, TraceTree tree, int[] childStart, int[] children)
    {
        var order = new int[count];
        int head = 0, tail = 0;
        foreach (var t in tree.Tops)
        {
            if (linkParent[t] < 0) order[tail++] = t;
        }
        while (head < tail)
        {
            var at = order[head++];
            for (var c = childStart[at]; c < childStart[at + 1]; c++) order[tail++] = children[c];
        }
        return order;
    }

    private static void SortChildrenByEndDescending(int[] childStart, int[] children, ulong[] subtreeEnd, ulong[] start)
    {
        var keys = new ChildKey[children.Length];
        for (var i = 0; i < children.Length; i++)
        {
            var c = children[i];
            keys[i] = new ChildKey(subtreeEnd[c], start[c], c);
        }
        for (var p = 0; p + 1 < childStart.Length; p++)
        {
            var length = childStart[p + 1] - childStart[p];
            if (length > 1) keys.AsSpan(childStart[p], length).Sort(children.AsSpan(childStart[p], length));
        }
    }

    /// <summary>Latest end first; for equal ends the longer child (it covers more of the wait), then the lower index.</summary>
    private readonly record struct ChildKey(ulong End, ulong Start, int Index) : IComparable<ChildKey>
    {
        public int CompareTo(ChildKey other)
        {
            if (End != other.End) return other.End.CompareTo(End);
            if (Start != other.Start) return Start.CompareTo(other.Start);
            return Index.CompareTo(other.Index);
        }
    }

    private struct Frame
    {
        public int Span;
        public ulong Low;
        public ulong Cursor;
        public int Next;
        public int Stop;
    }

    private static List<CriticalSegment> Walk(int top, ulong[] start, ulong[] subtreeEnd, int[] childStart, int[] children)
    {
        // Segments come out latest first; reversed at the end.
        var segments = new List<CriticalSegment>();
        var stack = new Frame[16];
        var depth = 0;
        stack[depth++] = new Frame { Span = top, Low = start[top], Cursor = subtreeEnd[top], Next = childStart[top], Stop = childStart[top + 1] };
        while (depth > 0)
        {
            ref var frame = ref stack[depth - 1];
            var descended = false;
            while (frame.Next < frame.Stop)
            {
                var child = children[frame.Next++];
                var childEnd = subtreeEnd[child];
                if (childEnd > frame.Cursor) continue; // overlaps the child already on the path
                if (childEnd <= frame.Low) break;      // this and every later child ended before the window
                if (frame.Cursor > childEnd) Add(segments, frame.Span, childEnd, frame.Cursor);
                var childLow = Math.Max(start[child], frame.Low);
                frame.Cursor = childLow;
                if (depth == stack.Length) Array.Resize(ref stack, depth * 2);
                stack[depth++] = new Frame { Span = child, Low = childLow, Cursor = childEnd, Next = childStart[child], Stop = childStart[child + 1] };
                descended = true;
                break;
            }
            if (descended) continue;
            if (frame.Cursor > frame.Low) Add(segments, frame.Span, frame.Low, frame.Cursor);
            depth--;
        }
        segments.Reverse();
        return segments;
    }

    private static void Add(List<CriticalSegment> segments, int span, ulong from, ulong to)
    {
        // Walking backwards, a span's slice can directly precede its previous slice (a zero-length child between them).
        if (segments.Count > 0 && segments[^1].SpanIndex == span && segments[^1].StartUnixNano == to)
        {
            segments[^1] = segments[^1] with { StartUnixNano = from };
            return;
        }
        segments.Add(new CriticalSegment(span, from, to));
    }

    private static CriticalSpan[] Contributions(List<CriticalSegment> segments, int count)
    {
        var total = new ulong[count];
        var order = new List<int>();
        foreach (var segment in segments)
        {
            if (total[segment.SpanIndex] == 0) order.Add(segment.SpanIndex);
            total[segment.SpanIndex] += segment.DurationNanos;
        }
        return order.Select(i => new CriticalSpan(i, total[i])).ToArray();
    }
}
