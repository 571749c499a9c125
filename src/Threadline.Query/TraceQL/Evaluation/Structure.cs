using Threadline.Query.TraceQL.Ast;

namespace Threadline.Query.TraceQL.Evaluation;

/// <summary>
/// The structural operators over one trace, each in time linear in the trace's size (marks over
/// span indices; ancestor walks stop at spans already marked).
/// </summary>
internal static class Structure
{
    /// <summary>
    /// Right-hand spans related to a left-hand span (plain forms), related to none (negated
    /// forms), or the related spans of both sides (union forms).
    /// </summary>
    public static List<int> Relate(SpansetOperator op, TraceTree tree, List<int> left, List<int> right)
    {
        var inLeft = Marks(tree, left);
        var inRight = Marks(tree, right);
        switch (op)
        {
            case SpansetOperator.Child:
            case SpansetOperator.NotChild:
                return Keep(right, r => HasParentIn(tree, r, inLeft), negate: op == SpansetOperator.NotChild);
            case SpansetOperator.UnionChild:
            {
                var parentsOfRight = ParentsOf(tree, right);
                return Union(Keep(left, l => parentsOfRight[l]), Keep(right, r => HasParentIn(tree, r, inLeft)));
            }
            case SpansetOperator.Parent:
            case SpansetOperator.NotParent:
            {
                var parentsOfLeft = ParentsOf(tree, left);
                return Keep(right, r => parentsOfLeft[r], negate: op == SpansetOperator.NotParent);
            }
            case SpansetOperator.UnionParent:
            {
                var parentsOfLeft = ParentsOf(tree, left);
                return Union(Keep(left, l => HasParentIn(tree, l, inRight)), Keep(right, r => parentsOfLeft[r]));
            }
            case SpansetOperator.Descendant:
            case SpansetOperator.NotDescendant:
                return Keep(right, r => HasAncestorIn(tree, r, inLeft), negate: op == SpansetOperator.NotDescendant);
            case SpansetOperator.UnionDescendant:
            {
                var ancestorsOfRight = AncestorsOf(tree, right);
                return Union(Keep(left, l => ancestorsOfRight[l]), Keep(right, r => HasAncestorIn(tree, r, inLeft)));
            }
            case SpansetOperator.Ancestor:
            case SpansetOperator.NotAncestor:
            {
                var ancestorsOfLeft = AncestorsOf(tree, left);
                return Keep(right, r => ancestorsOfLeft[r], negate: op == SpansetOperator.NotAncestor);
            }
            case SpansetOperator.UnionAncestor:
            {
                var ancestorsOfLeft = AncestorsOf(tree, left);
                return Union(Keep(left, l => HasAncestorIn(tree, l, inRight)), Keep(right, r => ancestorsOfLeft[r]));
            }
            case SpansetOperator.Sibling:
            case SpansetOperator.NotSibling:
            {
                var leftPerParent = CountPerParent(tree, left);
                return Keep(right, r => HasSiblingIn(tree, r, leftPerParent, inLeft), negate: op == SpansetOperator.NotSibling);
            }
            case SpansetOperator.UnionSibling:
            {
                var leftPerParent = CountPerParent(tree, left);
                var rightPerParent = CountPerParent(tree, right);
                return Union(Keep(left, l => HasSiblingIn(tree, l, rightPerParent, inRight)), Keep(right, r => HasSiblingIn(tree, r, leftPerParent, inLeft)));
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(op), op, "Not a structural operator.");
        }
    }

    private static bool[] Marks(TraceTree tree, List<int> spans)
    {
        var marks = new bool[tree.Count];
        foreach (var span in spans) marks[span] = true;
        return marks;
    }

    private static List<int> Keep(List<int> spans, Func<int, bool> predicate, bool negate = false)
    {
        var kept = new List<int>();
        foreach (var span in spans)
        {
            if (predicate(span) != negate) kept.Add(span);
        }
        return kept;
    }

    private static List<int> Union(List<int> first, List<int> second)
    {
        var seen = new HashSet<int>(first);
        foreach (var span in second)
        {
            if (seen.Add(span)) first.Add(span);
        }
        return first;
    }

    private static bool HasParentIn(TraceTree tree, int span, bool[] set)
    {
        var parent = tree.Parent(span);
        return parent >= 0 && set[parent];
    }

    private static bool HasAncestorIn(TraceTree tree, int span, bool[] set)
    {
        for (var a = tree.Parent(span); a >= 0; a = tree.Parent(a))
        {
            if (set[a]) return true;
        }
        return false;
    }

    private static bool[] ParentsOf(TraceTree tree, List<int> spans)
    {
        var parents = new bool[tree.Count];
        foreach (var span in spans)
        {
            var parent = tree.Parent(span);
            if (parent >= 0) parents[parent] = true;
        }
        return parents;
    }

    private static bool[] AncestorsOf(TraceTree tree, List<int> spans)
    {
        var ancestors = new bool[tree.Count];
        foreach (var span in spans)
        {
            // Stop at the first ancestor already marked: everything above it is marked too.
            for (var a = tree.Parent(span); a >= 0 && !ancestors[a]; a = tree.Parent(a)) ancestors[a] = true;
        }
        return ancestors;
    }

    private static int[] CountPerParent(TraceTree tree, List<int> spans)
    {
        var counts = new int[tree.Count];
        foreach (var span in spans)
        {
            var parent = tree.Parent(span);
            if (parent >= 0) counts[parent]++;
        }
        return counts;
    }

    /// <summary>Whether another span with the same parent is in the set (a span is not its own sibling).</summary>
    private static bool HasSiblingIn(TraceTree tree, int span, int[] perParent, bool[] set)
    {
        var parent = tree.Parent(span);
        if (parent < 0) return false;
        return perParent[parent] - (set[span] ? 1 : 0) > 0;
    }
}
