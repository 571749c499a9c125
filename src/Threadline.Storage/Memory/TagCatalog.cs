using Threadline.Core.Model;

namespace Threadline.Storage.Memory;

/// <summary>
/// Attribute keys and, per key, the distinct values seen since start. Capped three ways (keys,
/// values per key, value length) because attribute keys and values come straight from senders:
/// a high-cardinality attribute (a request id, a URL with ids) fills its key's quota once and
/// then costs one count check per span. Not thread-safe: used under the store's lock.
/// </summary>
internal sealed class TagCatalog(int maxKeys, int maxValuesPerKey, int maxValueLength)
{
    private readonly Dictionary<string, HashSet<AttributeValue>> _valuesByKey = new(StringComparer.Ordinal);

    public void Observe(KeyValue[] attributes)
    {
        foreach (var attribute in attributes)
        {
            if (!_valuesByKey.TryGetValue(attribute.Key, out var values))
            {
                if (_valuesByKey.Count >= maxKeys) continue;
                values = [];
                _valuesByKey.Add(attribute.Key, values);
            }
            if (values.Count >= maxValuesPerKey) continue;
            if (TryCatalogue(attribute.Value, out var value)) values.Add(value);
        }
    }

    public string[] Keys() => [.. _valuesByKey.Keys];

    public AttributeValue[] Values(string key) =>
        _valuesByKey.TryGetValue(key, out var values) ? [.. values] : [];

    // Scalars are kept as they are, so the common case neither formats nor allocates; their
    // text is made when the catalog is read. Arrays, lists and bytes are kept as their text,
    // so that the catalog does not hold on to a sender's large buffers.
    private bool TryCatalogue(AttributeValue value, out AttributeValue catalogued)
    {
        catalogued = value;
        switch (value.Type)
        {
            case AttributeType.String:
                return value.AsString().Length <= maxValueLength;
            case AttributeType.Bool:
            case AttributeType.Int:
            case AttributeType.Double:
                return true;
            case AttributeType.Bytes:
            case AttributeType.Array:
            case AttributeType.KeyValueList:
                // Formatting a huge buffer only to discard the text would let one span cost
                // megabytes, so rule out what is certainly too long before formatting.
                if (MinimumTextLength(value, maxValueLength) > maxValueLength) return false;
                var text = value.ToString();
                catalogued = AttributeValue.FromString(text);
                return text.Length <= maxValueLength;
            default:
                return false;
        }
    }

    // A lower bound on the length of value.ToString(), walking nested arrays and lists only
    // until the budget is spent, so the check itself is cheap on hostile nesting.
    private static int MinimumTextLength(AttributeValue value, int budget)
    {
        switch (value.Type)
        {
            case AttributeType.String:
                return value.AsString().Length;
            case AttributeType.Bytes:
                return (value.AsBytes().Length + 2) / 3 * 4;
            case AttributeType.Array:
            {
                if (budget < 2) return 2;
                var length = 2;
                foreach (var item in value.AsArray())
                {
                    length += 1 + MinimumTextLength(item, budget - length);
                    if (length > budget) break;
                }
                return length;
            }
            case AttributeType.KeyValueList:
            {
                if (budget < 2) return 2;
                var length = 2;
                foreach (var item in value.AsKeyValueList())
                {
                    length += 2 + item.Key.Length + MinimumTextLength(item.Value, budget - length);
                    if (length > budget) break;
                }
                return length;
            }
            default:
                return 1;
        }
    }
}
