using Threadline.Core.Model;

namespace Threadline.Server.Api.Ui;

/// <summary>
/// A trace reduced to what the UI's waterfall draws, one entry per span in tree order (depth
/// first, roots and siblings by start time), so a parent always comes before its children and
/// the UI can lay out rows as chunks arrive. Built without recursion: a trace may be a chain a
/// million spans deep.
/// </summary>
internal sealed class TraceOutline
{
    /// <summary>Flag: the span names a parent that is not in the trace (it is drawn as a root).</summary>
    public const byte MissingParentFlag = 1;

    /// <summary>Flag: the span has events.</summary>
    public const byte HasEventsFlag = 2;

    /// <summary>Flag: the span has links.</summary>
    public const byte HasLinksFlag = 4;

    private TraceOutline(TraceId traceId, Span[] ordered, int[] parents, ulong startTimeUnixNano, ulong endTimeUnixNano)
    {
        TraceId = traceId;
        Spans = ordered;
        Parents = parents;
        StartTimeUnixNano = startTimeUnixNano;
        DurationNanos = endTimeUnixNano > startTimeUnixNano ? endTimeUnixNano - startTimeUnixNano : 0;
    }

    public TraceId TraceId { get; }

    /// <summary>The spans in tree order.</summary>
    public IReadOnlyList<Span> Spans { get; }

    /// <summary>Index in <see cref="Spans"/> of each span's parent; -1 for a root or a span whose parent is missing.</summary>
    public IReadOnlyList<int> Parents { get; }

    /// <summary>The earliest span start: the origin of the outline's start offsets.</summary>
    public ulong StartTimeUnixNano { get; }

    /// <summary>The latest end minus the earliest start.</summary>
    public ulong DurationNanos { get; }

    public int Count => Spans.Count;

    public byte FlagsOf(int index)
    {
        var span = Spans[index];
        byte flags = 0;
        if (Parents[index] < 0 && !span.ParentSpanId.IsEmpty) flags |= MissingParentFlag;
        if (span.Events.Length > 0) flags |= HasEventsFlag;
        if (span.Links.Length > 0) flags |= HasLinksFlag;
        return flags;
    }

    /// <summary>
    /// Orders <paramref name="spans"/> (as the store gives them: by start time) into tree order.
    /// A span whose parent is missing becomes a root; of spans sharing an id, children attach to
    /// the first; spans caught in a parent cycle are cut loose at their earliest member.
    /// </summary>
    public static TraceOutline Build(TraceId traceId, IReadOnlyList<Span> spans)
    {
        var count = spans.Count;
        var byId = new Dictionary<ulong, int>(count);
        ulong start = ulong.MaxValue, end = 0;
        for (var i = 0; i < count; i++)
        {
            var span = spans[i];
            byId.TryAdd(span.SpanId.Value, i);
            start = Math.Min(start, span.StartTimeUnixNano);
            end = Math.Max(end, Math.Max(span.EndTimeUnixNano, span.StartTimeUnixNano));
        }
        if (count == 0) start = 0;

        // Children as linked lists (first child, next sibling), built back to front so each list
        // keeps the store's start-time order.
        var parentOf = new int[count];
        var firstChild = new int[count];
        var nextSibling = new int[count];
        Array.Fill(firstChild, -1);
        Array.Fill(nextSibling, -1);
        var firstRoot = -1;
        for (var i = count - 1; i >= 0; i--)
        {
            var span = spans[i];
            var parent = !span.ParentSpanId.IsEmpty && byId.TryGetValue(span.ParentSpanId.Value, out var p) && p != i ? p : -1;
            parentOf[i] = parent;
            if (parent < 0)
            {
                nextSibling[i] = firstRoot;
                firstRoot = i;
            }
            else
            {
                nextSibling[i] = firstChild[parent];
                firstChild[parent] = i;
            }
        }

        var ordered = new Span[count];
        var parents = new int[count];
        var position = new int[count];
        var visited = new bool[count];
        var written = 0;
        var stack = new Stack<int>();
        var children = new List<int>();

        void Walk(int root)
        {
            stack.Push(root);
            while (stack.Count > 0)
            {
                var node = stack.Pop();
                if (visited[node]) continue;
                visited[node] = true;
                position[node] = written;
                ordered[written] = spans[node];
                parents[written] = parentOf[node] >= 0 && visited[parentOf[node]] && node != root ? position[parentOf[node]] : -1;
                written++;
                // Pushed in reverse so the earliest child is walked first.
                children.Clear();
                for (var child = firstChild[node]; child >= 0; child = nextSibling[child]) children.Add(child);
                for (var k = children.Count - 1; k >= 0; k--) stack.Push(children[k]);
            }
        }

        for (var root = firstRoot; root >= 0; root = nextSibling[root]) Walk(root);
        // What no root reaches sits on a parent cycle: its earliest span starts a new tree.
        for (var i = 0; i < count && written < count; i++)
        {
            if (!visited[i]) Walk(i);
        }

        return new TraceOutline(traceId, ordered, parents, start, end);
    }
}
