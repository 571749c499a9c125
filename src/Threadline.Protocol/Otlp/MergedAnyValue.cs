using Threadline.Core.Model;

namespace Threadline.Protocol.Otlp;

/// <summary>
/// An AnyValue as it arrives on the protobuf wire, possibly in pieces: protobuf merges repeated
/// occurrences of an embedded message, so a second array_value (or kvlist_value) in one AnyValue,
/// or in a repeated KeyValue.value, extends the first, while any other member replaces it.
/// </summary>
/// <remarks>
/// Pieces after the first gather in a list, so a hostile message repeating a one-element array a
/// million times costs a million appends, not the square of that in copies. Encoders write each
/// value once; then nothing but <see cref="Value"/> is ever set.
/// </remarks>
internal struct MergedAnyValue
{
    private AttributeValue _first;
    private List<AttributeValue>? _items;
    private List<KeyValue>? _pairs;

    /// <summary>The value read so far.</summary>
    public readonly AttributeValue Value =>
        _items is not null ? AttributeValue.FromArray([.. _items])
        : _pairs is not null ? AttributeValue.FromKeyValueList([.. _pairs])
        : _first;

    /// <summary>A member that replaces whatever came before: a scalar, or a first array or list.</summary>
    public void Set(AttributeValue value)
    {
        _first = value;
        _items = null;
        _pairs = null;
    }

    /// <summary>Another array_value or kvlist_value: extends an earlier one of the same kind, replaces anything else.</summary>
    public void Extend(AttributeValue later)
    {
        if (later.Type != _first.Type)
            Set(later);
        else if (later.Type == AttributeType.Array)
            (_items ??= [.. _first.AsArray()]).AddRange(later.AsArray());
        else
            (_pairs ??= [.. _first.AsKeyValueList()]).AddRange(later.AsKeyValueList());
    }
}
