using Threadline.Core.Model;

namespace Threadline.Core.Analysis;

/// <summary>Per operation path of one trace: how many spans and their total duration.</summary>
internal sealed class OperationProfile
{
    private OperationProfile(OperationPaths paths, long[] counts, ulong[] durations)
    {
        Paths = paths;
        Counts = counts;
        Durations = durations;
    }

    public OperationPaths Paths { get; }

    /// <summary>Indexed by path node.</summary>
    public long[] Counts { get; }

    /// <summary>Indexed by path node: summed span durations, ns.</summary>
    public ulong[] Durations { get; }

    public static OperationProfile Of(TraceTree tree, OperationPaths? paths = null)
    {
        paths ??= new OperationPaths();
        var spans = tree.Spans;
        var nodeOf = new int[tree.Count];
        var queue = new int[tree.Count];
        int head = 0, tail = 0;
        foreach (var top in tree.Tops) queue[tail++] = top;
        while (head < tail)
        {
            var at = queue[head++];
            var parent = tree.ParentOf(at);
            nodeOf[at] = paths.Intern(parent < 0 ? -1 : nodeOf[parent], spans[at].ServiceName, spans[at].Name);
            foreach (var child in tree.ChildrenOf(at)) queue[tail++] = child;
        }
        var counts = new long[paths.Count];
        var durations = new ulong[paths.Count];
        for (var i = 0; i < tree.Count; i++)
        {
            counts[nodeOf[i]]++;
            durations[nodeOf[i]] += spans[i].DurationNanos;
        }
        return new OperationProfile(paths, counts, durations);
    }

    public static OperationProfile Create(OperationPaths paths, long[] counts, ulong[] durations) => new(paths, counts, durations);
}

/// <summary>What identifies and sizes one trace in a comparison.</summary>
/// <param name="TraceId">Null for a typical trace.</param>
/// <param name="RootService">Service of the root span (the earliest top span when no root arrived).</param>
/// <param name="RootName">Name of that span.</param>
/// <param name="DurationNanos">Latest end minus earliest start over all spans (the median for a typical trace).</param>
/// <param name="SpanCount">Spans in the trace (the median for a typical trace).</param>
/// <param name="SampleCount">For a typical trace, how many traces made it; null otherwise.</param>
public sealed record TraceOverview(TraceId? TraceId, string RootService, string RootName, ulong DurationNanos, long SpanCount, int? SampleCount = null)
{
    /// <summary>The root (the earliest one; the earliest top span when no root arrived), its trace's span count and end-to-end duration.</summary>
    public static TraceOverview Of(TraceTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        if (tree.Count == 0) return new TraceOverview(null, string.Empty, string.Empty, 0, 0);
        var root = tree.Spans[tree.Roots.Count > 0 ? tree.Roots[0] : tree.Tops[0]];
        return new TraceOverview(root.TraceId, root.ServiceName, root.Name, EndToEnd(tree.Spans), tree.Count);
    }

    internal static ulong EndToEnd(IReadOnlyList<Span> spans)
    {
        ulong first = ulong.MaxValue, last = 0;
        foreach (var span in spans)
        {
            first = Math.Min(first, span.StartTimeUnixNano);
            last = Math.Max(last, span.EndTimeUnixNano);
        }
        return last > first ? last - first : 0;
    }
}
