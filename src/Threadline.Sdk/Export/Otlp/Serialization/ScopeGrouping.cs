using System.Diagnostics;

namespace Threadline.Sdk.Export.Otlp.Serialization;

/// <summary>The spans of one batch that came from one instrumentation scope (name + version).</summary>
internal sealed class ScopeGroup
{
    public ActivitySource Source { get; set; } = null!;

    public List<Activity> Spans { get; } = [];
}

/// <summary>
/// Splits a batch into instrumentation scopes for ScopeSpans. Groups and their lists are kept
/// between batches so steady-state grouping allocates nothing; the activities themselves are
/// released by <see cref="Clear"/> once the batch is written.
/// </summary>
internal sealed class ScopeGrouping
{
    // Keeping more spare groups than this would only hold memory for a rare batch with many scopes.
    private const int MaxSpareGroups = 64;

    private readonly List<ScopeGroup> _groups = [];
    private readonly Stack<ScopeGroup> _spare = new();
    private readonly Dictionary<ActivitySource, ScopeGroup> _bySource = [];

    public IReadOnlyList<ScopeGroup> Group(IReadOnlyList<Activity> batch)
    {
        ActivitySource? lastSource = null;
        ScopeGroup? lastGroup = null;
        for (var i = 0; i < batch.Count; i++)
        {
            var activity = batch[i];
            var source = activity.Source;

            // Spans of a batch mostly come in runs from one source, so the previous answer
            // usually holds and the dictionary is skipped.
            if (!ReferenceEquals(source, lastSource))
            {
                if (!_bySource.TryGetValue(source, out lastGroup))
                {
                    lastGroup = FindByNameAndVersion(source) ?? Rent(source);
                    _bySource[source] = lastGroup;
                }
                lastSource = source;
            }
            lastGroup!.Spans.Add(activity);
        }
        return _groups;
    }

    public void Clear()
    {
        foreach (var group in _groups)
        {
            group.Spans.Clear();
            group.Source = null!;
            if (_spare.Count < MaxSpareGroups) _spare.Push(group);
        }
        _groups.Clear();
        _bySource.Clear();
    }

    // Two ActivitySource objects with the same name and version are one scope in OTLP.
    private ScopeGroup? FindByNameAndVersion(ActivitySource source)
    {
        foreach (var group in _groups)
        {
            if (group.Source.Name == source.Name && (group.Source.Version ?? "") == (source.Version ?? "")) return group;
        }
        return null;
    }

    private ScopeGroup Rent(ActivitySource source)
    {
        var group = _spare.Count > 0 ? _spare.Pop() : new ScopeGroup();
        group.Source = source;
        _groups.Add(group);
        return group;
    }
}
