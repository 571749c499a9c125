using System.Diagnostics;

namespace Threadline.Sdk;

/// <summary>
/// Walks the events or links an exporter sends, without allocating: the replacement list the SDK
/// published on <see cref="DroppedCounts"/> when it had to change them, else the activity's own.
/// <see cref="Index"/> is the item's position, under which <see cref="DroppedCounts.EventAttributes"/>
/// and <see cref="DroppedCounts.LinkAttributes"/> count what was dropped from it.
/// </summary>
internal struct ExportedItems<T>
{
    private readonly IReadOnlyList<T>? _replaced;
    private Activity.Enumerator<T> _own;

    private ExportedItems(IReadOnlyList<T>? replaced, Activity.Enumerator<T> own)
    {
        _replaced = replaced;
        _own = own;
        Index = -1;
    }

    public int Index { get; private set; }

    public readonly T Current => _replaced is null ? _own.Current : _replaced[Index];

    public static ExportedItems<ActivityEvent> Events(Activity activity, DroppedCounts? dropped) =>
        new(dropped?.ExportedEvents, activity.EnumerateEvents());

    public static ExportedItems<ActivityLink> Links(Activity activity, DroppedCounts? dropped) =>
        new(dropped?.ExportedLinks, activity.EnumerateLinks());

    public bool MoveNext()
    {
        Index++;
        return _replaced is null ? _own.MoveNext() : Index < _replaced.Count;
    }
}
