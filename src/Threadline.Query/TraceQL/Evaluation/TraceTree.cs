using Threadline.Core.Model;
using Threadline.Query.TraceQL.Ast;
using Threadline.Storage.Fetch;

namespace Threadline.Query.TraceQL.Evaluation;

/// <summary>
/// A whole trace as a tree: parent and child links by index, child counts, and the nested-set
/// numbers Tempo's vParquet stores (for the nestedSet* intrinsics). Spans whose parent is
/// missing are roots of their own subtrees; a parent cycle in bad data is broken, not followed.
/// </summary>
internal sealed class TraceTree : ISpanView
{
    private readonly IReadOnlyList<Span> _spans;
    private readonly int[] _parent;
    private readonly int[] _childCount;
    private readonly int[] _left;
    private readonly int[] _right;

    public TraceTree(IReadOnlyList<Span> spans)
    {
        ArgumentOutOfRangeException.ThrowIfZero(spans.Count);
        _spans = spans;
        var count = spans.Count;
        _parent = new int[count];
        _childCount = new int[count];
        _left = new int[count];
        _right = new int[count];

        var index = new Dictionary<SpanId, int>(count);
        for (var i = 0; i < count; i++) index.TryAdd(spans[i].SpanId, i);
        var children = new List<int>?[count];
        for (var i = 0; i < count; i++)
        {
            var parentId = spans[i].ParentSpanId;
            _parent[i] = !parentId.IsEmpty && index.TryGetValue(parentId, out var p) && p != i ? p : -1;
            if (_parent[i] >= 0) (children[_parent[i]] ??= []).Add(i);
        }

        NumberNestedSets(children);
        for (var i = 0; i < count; i++) _childCount[i] = children[i]?.Count ?? 0;

        var root = -1;
        ulong start = ulong.MaxValue, end = 0;
        for (var i = 0; i < count; i++)
        {
            var span = spans[i];
            start = Math.Min(start, span.StartTimeUnixNano);
            end = Math.Max(end, Math.Max(span.EndTimeUnixNano, span.StartTimeUnixNano));
            if (span.ParentSpanId.IsEmpty && (root < 0 || span.StartTimeUnixNano < spans[root].StartTimeUnixNano)) root = i;
        }
        if (root < 0)
        {
            root = 0;
            for (var i = 1; i < count; i++)
            {
                if (spans[i].StartTimeUnixNano < spans[root].StartTimeUnixNano) root = i;
            }
        }
        TraceId = spans[0].TraceId;
        RootServiceName = spans[root].ServiceName;
        RootSpanName = spans[root].Name;
        TraceStartUnixNano = start;
        TraceDurationNanos = end - start;
    }

    public int Count => _spans.Count;
    public TraceId TraceId { get; }
    public string RootServiceName { get; }
    public string RootSpanName { get; }
    public ulong TraceStartUnixNano { get; }
    public ulong TraceDurationNanos { get; }

    public Span this[int span] => _spans[span];

    public SpanId SpanId(int span) => _spans[span].SpanId;
    public string Name(int span) => _spans[span].Name;
    public ulong StartUnixNano(int span) => _spans[span].StartTimeUnixNano;
    public ulong DurationNanos(int span) => _spans[span].DurationNanos;
    public int Parent(int span) => _parent[span];

    public FieldValue Intrinsic(int span, Intrinsic intrinsic)
    {
        var s = _spans[span];
        return intrinsic switch
        {
            Ast.Intrinsic.Duration => FieldValue.Of(StaticValue.Duration(s.DurationNanos)),
            Ast.Intrinsic.Name => FieldValue.Of(StaticValue.String(s.Name)),
            Ast.Intrinsic.Status => FieldValue.Of(StaticValue.Status(s.Status.Code)),
            Ast.Intrinsic.StatusMessage => FieldValue.Of(StaticValue.String(s.Status.Message)),
            Ast.Intrinsic.Kind => FieldValue.Of(StaticValue.Kind(s.Kind)),
            Ast.Intrinsic.ChildCount => FieldValue.Of(StaticValue.Int(_childCount[span])),
            Ast.Intrinsic.SpanId => FieldValue.Of(StaticValue.String(s.SpanId.ToString())),
            Ast.Intrinsic.ParentId => s.ParentSpanId.IsEmpty ? FieldValue.Nil : FieldValue.Of(StaticValue.String(s.ParentSpanId.ToString())),
            Ast.Intrinsic.TraceId => FieldValue.Of(StaticValue.String(s.TraceId.ToString())),
            Ast.Intrinsic.TraceDuration => FieldValue.Of(StaticValue.Duration(TraceDurationNanos)),
            Ast.Intrinsic.TraceRootName => FieldValue.Of(StaticValue.String(RootSpanName)),
            Ast.Intrinsic.TraceRootService => FieldValue.Of(StaticValue.String(RootServiceName)),
            Ast.Intrinsic.EventName => Many(s.Events, e => AttributeValue.FromString(e.Name)),
            Ast.Intrinsic.EventTimeSinceStart => EventOffsets(s),
            Ast.Intrinsic.LinkTraceId => Many(s.Links, l => AttributeValue.FromString(l.TraceId.ToString())),
            Ast.Intrinsic.LinkSpanId => Many(s.Links, l => AttributeValue.FromString(l.SpanId.ToString())),
            Ast.Intrinsic.InstrumentationName => FieldValue.Of(StaticValue.String(s.Scope.Name)),
            Ast.Intrinsic.InstrumentationVersion => FieldValue.Of(StaticValue.String(s.Scope.Version)),
            Ast.Intrinsic.NestedSetLeft => FieldValue.Of(StaticValue.Int(_left[span])),
            Ast.Intrinsic.NestedSetRight => FieldValue.Of(StaticValue.Int(_right[span])),
            Ast.Intrinsic.NestedSetParent => FieldValue.Of(StaticValue.Int(_parent[span] < 0 ? -1 : _left[_parent[span]])),
            _ => FieldValue.Nil,
        };
    }

    public FieldValue Attribute(int span, AttributeExpression attribute)
    {
        if (attribute.Parent)
        {
            span = _parent[span];
            if (span < 0) return FieldValue.Nil;
        }
        var s = _spans[span];
        switch (attribute.Scope)
        {
            case AttributeScope.None:
                return s.TryGetAttribute(attribute.Name, out var value) ? FieldValue.Of(value) : FieldValue.Nil;
            case AttributeScope.Span:
                return Find(s.Attributes, attribute.Name);
            case AttributeScope.Resource:
                return Find(s.Resource.Attributes, attribute.Name);
            case AttributeScope.Instrumentation:
                return Find(s.Scope.Attributes, attribute.Name);
            case AttributeScope.Event:
                return Gather(s.Events.Select(e => e.Attributes), attribute.Name);
            case AttributeScope.Link:
                return Gather(s.Links.Select(l => l.Attributes), attribute.Name);
            default:
                return FieldValue.Nil;
        }
    }

    private static FieldValue Find(KeyValue[] attributes, string key)
    {
        foreach (var attribute in attributes)
        {
            if (attribute.Key == key) return FieldValue.Of(attribute.Value);
        }
        return FieldValue.Nil;
    }

    // An event or link attribute holds the values of every event or link that has it, flattened, so
    // that a comparison matches when any of them does.
    private static FieldValue Gather(IEnumerable<KeyValue[]> attributeLists, string key)
    {
        List<AttributeValue>? values = null;
        foreach (var attributes in attributeLists)
        {
            foreach (var attribute in attributes)
            {
                if (attribute.Key != key) continue;
                if (attribute.Value.Type == AttributeType.Array) (values ??= []).AddRange(attribute.Value.AsArray());
                else (values ??= []).Add(attribute.Value);
            }
        }
        return values is null ? FieldValue.Nil : FieldValue.OfMany([.. values]);
    }

    private static FieldValue Many<T>(T[] items, Func<T, AttributeValue> select) =>
        items.Length == 0 ? FieldValue.Nil : FieldValue.OfMany([.. items.Select(select)]);

    private static FieldValue EventOffsets(Span span)
    {
        if (span.Events.Length == 0) return FieldValue.Nil;
        // Durations travel as nanosecond integers inside a many-valued field; comparisons treat them as numbers.
        return FieldValue.OfMany([.. span.Events.Select(e => AttributeValue.FromInt(
            (long)(e.TimeUnixNano > span.StartTimeUnixNano ? e.TimeUnixNano - span.StartTimeUnixNano : 0)))]);
    }

    private void NumberNestedSets(List<int>?[] children)
    {
        var visited = new bool[_spans.Count];
        var next = 1;
        var stack = new Stack<(int Span, int Child)>();
        for (var root = 0; root < _spans.Count; root++)
        {
            if (_parent[root] >= 0 || visited[root]) continue;
            Visit(root);
        }
        // Spans on a parent cycle were reached from no root: cut them loose as roots.
        for (var i = 0; i < _spans.Count; i++)
        {
            if (visited[i]) continue;
            if (_parent[i] >= 0) children[_parent[i]]!.Remove(i);
            _parent[i] = -1;
            Visit(i);
        }

        void Visit(int root)
        {
            visited[root] = true;
            _left[root] = next++;
            stack.Push((root, 0));
            while (stack.Count > 0)
            {
                var (span, child) = stack.Pop();
                var kids = children[span];
                if (kids is not null && child < kids.Count)
                {
                    stack.Push((span, child + 1));
                    var kid = kids[child];
                    if (visited[kid]) continue;
                    visited[kid] = true;
                    _left[kid] = next++;
                    stack.Push((kid, 0));
                }
                else
                {
                    _right[span] = next++;
                }
            }
        }
    }
}
