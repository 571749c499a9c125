namespace Threadline.Core.Analysis;

/// <summary>How an operation path differs between the left and the right trace.</summary>
public enum OperationChange
{
    /// <summary>Only on the right.</summary>
    Added,

    /// <summary>Only on the left.</summary>
    Removed,

    /// <summary>Span count or total duration differs by more than <see cref="TraceComparison.ChangeThreshold"/>.</summary>
    Changed,
    Same,
}

/// <summary>One operation path in a comparison; counts and total durations on each side.</summary>
/// <param name="Path">"service: name" steps from the top span down to this operation.</param>
/// <param name="Service">The operation's service (the last step's).</param>
/// <param name="Name">The operation's span name.</param>
/// <param name="Change">Added, removed, changed or the same.</param>
/// <param name="LeftCount">Spans on this path in the left trace.</param>
/// <param name="RightCount">Spans on this path in the right trace (the median count for a typical trace).</param>
/// <param name="LeftDurationNanos">Their summed durations in the left trace.</param>
/// <param name="RightDurationNanos">Their summed durations in the right trace (the median for a typical trace).</param>
public sealed record OperationDiff(
    IReadOnlyList<string> Path, string Service, string Name, OperationChange Change,
    long LeftCount, long RightCount, ulong LeftDurationNanos, ulong RightDurationNanos);

/// <summary>The outcome of <see cref="TraceComparison"/>.</summary>
/// <param name="Left">The left trace.</param>
/// <param name="Right">The right trace, or the typical trace.</param>
/// <param name="Operations">Per operation path, depth-first.</param>
/// <param name="Truncated">True when more than <see cref="TraceComparison.MaxOperations"/> paths differed and the rest were left out.</param>
public sealed record TraceComparisonResult(TraceOverview Left, TraceOverview Right, IReadOnlyList<OperationDiff> Operations, bool Truncated);

/// <summary>
/// Structural diff of two traces by operation path (the chain of "service: name" from the top span):
/// per path, span count and total duration on each side and whether it was added, removed, changed
/// (count or duration off by more than 10 %) or the same. Paths are listed depth-first, in the order
/// they first appear (left first). Linear in the spans of both traces.
/// </summary>
public static class TraceComparison
{
    /// <summary>The relative difference of count or total duration above which a path counts as changed.</summary>
    public const double ChangeThreshold = 0.10;

    /// <summary>
    /// The most paths listed; a pathological trace (a chain of a million distinct steps) would
    /// otherwise produce an answer quadratic in its depth.
    /// </summary>
    public const int MaxOperations = 1_000;

    public static TraceComparisonResult Compare(TraceTree left, TraceTree right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return Diff(TraceOverview.Of(left), OperationProfile.Of(left), TraceOverview.Of(right), OperationProfile.Of(right));
    }

    /// <summary>Compares a trace (left) with the typical trace of its root operation (right).</summary>
    public static TraceComparisonResult Compare(TraceTree trace, TypicalTrace typical)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(typical);
        return Diff(TraceOverview.Of(trace), OperationProfile.Of(trace), typical.Overview, typical.Profile);
    }

    private static TraceComparisonResult Diff(TraceOverview leftOverview, OperationProfile left, TraceOverview rightOverview, OperationProfile right)
    {
        var paths = new OperationPaths();
        var leftMap = paths.Import(left.Paths);
        var rightMap = paths.Import(right.Paths);
        var nodes = paths.Count;
        var leftCount = new long[nodes];
        var rightCount = new long[nodes];
        var leftDuration = new ulong[nodes];
        var rightDuration = new ulong[nodes];
        for (var n = 0; n < left.Counts.Length; n++)
        {
            leftCount[leftMap[n]] += left.Counts[n];
            leftDuration[leftMap[n]] += left.Durations[n];
        }
        for (var n = 0; n < right.Counts.Length; n++)
        {
            rightCount[rightMap[n]] += right.Counts[n];
            rightDuration[rightMap[n]] += right.Durations[n];
        }

        var operations = new List<OperationDiff>();
        var truncated = false;
        foreach (var node in DepthFirst(paths))
        {
            if (leftCount[node] == 0 && rightCount[node] == 0) continue; // a path only a dropped typical sample had
            if (operations.Count == MaxOperations)
            {
                truncated = true;
                break;
            }
            var change = leftCount[node] == 0 ? OperationChange.Added
                : rightCount[node] == 0 ? OperationChange.Removed
                : Differs(leftCount[node], rightCount[node]) || Differs(leftDuration[node], rightDuration[node]) ? OperationChange.Changed
                : OperationChange.Same;
            operations.Add(new OperationDiff(paths.PathOf(node), paths.ServiceOf(node), paths.NameOf(node), change,
                leftCount[node], rightCount[node], leftDuration[node], rightDuration[node]));
        }
        return new TraceComparisonResult(leftOverview, rightOverview, operations, truncated);
    }

    private static bool Differs(double left, double right) => Math.Abs(right - left) > ChangeThreshold * Math.Max(left, right);

    /// <summary>Pre-order over the trie, children in the order they were interned; an explicit stack.</summary>
    private static IEnumerable<int> DepthFirst(OperationPaths paths)
    {
        var childStart = new int[paths.Count + 1];
        for (var n = 0; n < paths.Count; n++)
        {
            if (paths.ParentOf(n) >= 0) childStart[paths.ParentOf(n) + 1]++;
        }
        for (var n = 0; n < paths.Count; n++) childStart[n + 1] += childStart[n];
        var children = new int[childStart[paths.Count]];
        var fill = childStart.AsSpan(0, paths.Count).ToArray();
        var tops = new List<int>();
        for (var n = 0; n < paths.Count; n++)
        {
            var p = paths.ParentOf(n);
            if (p >= 0) children[fill[p]++] = n;
            else tops.Add(n);
        }
        var stack = new Stack<int>();
        for (var t = tops.Count - 1; t >= 0; t--) stack.Push(tops[t]);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            yield return node;
            for (var c = childStart[node + 1] - 1; c >= childStart[node]; c--) stack.Push(children[c]);
        }
    }
}
