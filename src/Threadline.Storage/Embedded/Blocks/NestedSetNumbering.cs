using Threadline.Core.Model;

namespace Threadline.Storage.Embedded.Blocks;

/// <summary>
/// Numbers the spans of one trace as a nested set (after Tempo's vParquet): a depth-first walk
/// gives each span a left number on entry and a right number on exit, so "B is a descendant of
/// A" is <c>A.left &lt; B.left &amp;&amp; B.right &lt; A.right</c>. Parent is the parent's left
/// number, 0 for a root. A span whose parent is not in the trace, or that sits on a parent cycle,
/// becomes the root of its own subtree. Numbers start at 1.
/// </summary>
internal static class NestedSetNumbering
{
    /// <param name="spans">One trace's spans, ordered by start time (children are visited in that order).</param>
    public static (int Left, int Right, int Parent)[] Number(IReadOnlyList<Span> spans)
    {
        var count = spans.Count;
        var result = new (int Left, int Right, int Parent)[count];
        var byId = new Dictionary<SpanId, int>(count);
        for (var i = 0; i < count; i++) byId.TryAdd(spans[i].SpanId, i);

        // Children lists, in start order because spans are.
        var firstChild = new int[count];
        var nextSibling = new int[count];
        var lastChild = new int[count];
        Array.Fill(firstChild, -1);
        Array.Fill(nextSibling, -1);
        Array.Fill(lastChild, -1);
        var hasParent = new bool[count];
        for (var i = 0; i < count; i++)
        {
            var span = spans[i];
            if (span.ParentSpanId.IsEmpty || !byId.TryGetValue(span.ParentSpanId, out var parent) || parent == i) continue;
            hasParent[i] = true;
            if (lastChild[parent] < 0) firstChild[parent] = i;
            else nextSibling[lastChild[parent]] = i;
            lastChild[parent] = i;
        }

        var counter = 0;
        var visited = new bool[count];
        var stack = new Stack<(int Span, int Child)>();
        // Roots first; then any span still unvisited (a parent cycle) starts a subtree of its own.
        for (var pass = 0; pass < 2; pass++)
        {
            for (var root = 0; root < count; root++)
            {
                if (visited[root] || (pass == 0 && hasParent[root])) continue;
                visited[root] = true;
                result[root] = (++counter, 0, 0);
                stack.Push((root, firstChild[root]));
                while (stack.Count > 0)
                {
                    var (node, child) = stack.Pop();
                    while (child >= 0 && visited[child]) child = nextSibling[child];
                    if (child < 0)
                    {
                        result[node].Right = ++counter;
                        continue;
                    }
                    stack.Push((node, nextSibling[child]));
                    visited[child] = true;
                    result[child] = (++counter, 0, result[node].Left);
                    stack.Push((child, firstChild[child]));
                }
            }
        }
        return result;
    }
}
