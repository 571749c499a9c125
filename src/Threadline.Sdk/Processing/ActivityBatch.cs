using System.Collections;
using System.Diagnostics;

namespace Threadline.Sdk.Processing;

/// <summary>
/// A reusable view over the first <see cref="Count"/> slots of an array, handed to exporters so that
/// exporting does not allocate a list per batch.
/// </summary>
internal sealed class ActivityBatch : IReadOnlyList<Activity>
{
    private readonly Activity[] _items;

    public ActivityBatch(int capacity) => _items = new Activity[capacity];

    public int Count { get; private set; }

    public int Capacity => _items.Length;

    public Activity this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
            return _items[index];
        }
    }

    public void Add(Activity activity) => _items[Count++] = activity;

    /// <summary>Forgets the spans so that they can be collected while the batch waits for the next export.</summary>
    public void Clear()
    {
        Array.Clear(_items, 0, Count);
        Count = 0;
    }

    public IEnumerator<Activity> GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return _items[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
