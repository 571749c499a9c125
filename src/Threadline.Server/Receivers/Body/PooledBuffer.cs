using System.Buffers;

namespace Threadline.Server.Receivers.Body;

/// <summary>
/// A growable byte buffer rented from <see cref="ArrayPool{T}.Shared"/> that never grows past a
/// hard limit, so that however a client lies about its body, what is held in memory stays bounded.
/// </summary>
internal sealed class PooledBuffer : IDisposable
{
    private const int MinimumRent = 4096;
    private byte[] _array;
    private int _length;

    public PooledBuffer(long initialCapacity, int limit)
    {
        Limit = limit;
        _array = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(initialCapacity, MinimumRent, Math.Max(limit, MinimumRent)));
    }

    /// <summary>The most bytes this buffer will ever hold.</summary>
    public int Limit { get; }

    public int Length => _length;

    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, _length);

    /// <summary>The bytes written so far, as an array segment (for streams that need an array).</summary>
    public ArraySegment<byte> WrittenSegment => new(_array, 0, _length);

    /// <summary>Free space to read into, grown when needed; empty once <see cref="Limit"/> bytes are held.</summary>
    public Memory<byte> GetFreeMemory()
    {
        if (_length == _array.Length && _length < Limit)
            Grow();
        return _array.AsMemory(_length, Math.Min(_array.Length, Limit) - _length);
    }

    /// <summary>Records that <paramref name="count"/> bytes were written into the last free memory.</summary>
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_length + count > Math.Min(_array.Length, Limit))
            throw new InvalidOperationException("Advanced past the free memory handed out.");
        _length += count;
    }

    /// <summary>Appends <paramref name="data"/>; false (and nothing written) when it would pass the limit.</summary>
    public bool TryWrite(ReadOnlySpan<byte> data)
    {
        if (data.Length > Limit - _length) return false;
        while (data.Length > _array.Length - _length)
            Grow();
        data.CopyTo(_array.AsSpan(_length));
        _length += data.Length;
        return true;
    }

    public void Dispose()
    {
        var array = _array;
        _array = [];
        _length = 0;
        if (array.Length > 0)
            ArrayPool<byte>.Shared.Return(array);
    }

    private void Grow()
    {
        var size = (int)Math.Min(Limit, Math.Max((long)_array.Length * 2, MinimumRent));
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        _array.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_array);
        _array = bigger;
    }
}
