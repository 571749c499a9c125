using System.Runtime.CompilerServices;

namespace Threadline.Protocol.Decoding;

/// <summary>
/// A reusable stack on which a decoder collects the items of a repeated field before it knows
/// how many there are, then copies them out into an exact-size array. Nested lists (an event's
/// attributes inside a span's) push above their parent's items and pop before the parent goes
/// on, so one stack serves every level.
/// </summary>
internal sealed class ScratchList<T>
{
    /// <summary>Past this many slots the buffer is dropped after a call instead of being kept for the thread.</summary>
    private const int MaxRetainedLength = 16 * 1024;

    private readonly int _initialLength;
    private T[] _items;
    private int _count;
    private int _highWater;

    public ScratchList(int initialLength)
    {
        _initialLength = initialLength;
        _items = new T[initialLength];
    }

    public int Count => _count;

    /// <summary>The item added last.</summary>
    public T Top => _items[_count - 1];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(T item)
    {
        var items = _items;
        var count = _count;
        if ((uint)count < (uint)items.Length)
        {
            items[count] = item;
            _count = count + 1;
        }
        else
        {
            AddWithResize(item);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void AddWithResize(T item)
    {
        Array.Resize(ref _items, _items.Length * 2);
        _items[_count++] = item;
    }

    /// <summary>Moves the items from <paramref name="start"/> to the top into a new array and pops them.</summary>
    public T[] PopToArray(int start)
    {
        var length = _count - start;
        if (length == 0) return [];
        var result = new T[length];
        Array.Copy(_items, start, result, 0, length);
        Pop(start);
        return result;
    }

    /// <summary>Discards the items from <paramref name="start"/> to the top.</summary>
    public void Pop(int start)
    {
        if (_count > _highWater) _highWater = _count;
        _count = start;
    }

    /// <summary>Forgets everything so that no decoded object stays reachable from the thread.</summary>
    public void Reset()
    {
        if (_count > _highWater) _highWater = _count;
        if (_items.Length > MaxRetainedLength)
            _items = new T[_initialLength];
        else if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
            Array.Clear(_items, 0, Math.Min(_highWater, _items.Length));
        _count = 0;
        _highWater = 0;
    }
}
