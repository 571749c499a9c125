using System.Buffers;
using System.Text;
using Threadline.Core.Model;
using Threadline.Storage.Fetch;

namespace Threadline.Storage.Embedded.Blocks;

/// <summary>
/// The hashes a row group's value bloom holds: one per (attribute key, scalar value or scalar array element) on its spans,
/// resources, events and links, plus span names and services. Scopes are not told apart (a
/// superset is allowed). Integers and doubles hash as the double they compare as, so that
/// <c>500</c> finds <c>500.0</c> as <see cref="ConditionEvaluator"/> would.
/// </summary>
internal static class ValueKeys
{
    private const byte StringTag = 1, NumberTag = 2, BoolTag = 3;

    // Intrinsics get keys no attribute can have (attribute keys are not prefixed by a NUL).
    private const string NameKey = "\0name", ServiceKey = "\0service", BlobKey = "\0blob";

    public static void AddSpan(HashSet<ulong> into, Span span)
    {
        into.Add(Hash(NameKey, AttributeValue.FromString(span.Name)));
        into.Add(Hash(ServiceKey, AttributeValue.FromString(span.ServiceName)));
        AddAll(into, span.Attributes);
        AddAll(into, span.Resource.Attributes);
        foreach (var e in span.Events) AddAll(into, e.Attributes);
        foreach (var link in span.Links) AddAll(into, link.Attributes);
        AddBlobKeys(into, span.Attributes);
    }

    /// <summary>
    /// The hash present when some span of the row group has an attribute with this dedicated
    /// column's key in the generic attributes column (another type, or a second one with the
    /// key); absent, a fetch reads the dedicated column alone for it (block version 2 on).
    /// </summary>
    public static ulong InBlob(string key) => Hash(BlobKey, AttributeValue.FromString(key));

    // As AttributeCodec.WriteAttributes places them: the first attribute of a dedicated column's
    // key and type goes to the column, any other one with the key stays in the blob.
    private static void AddBlobKeys(HashSet<ulong> into, KeyValue[] attributes)
    {
        Span<bool> taken = stackalloc bool[DedicatedColumns.All.Count];
        foreach (var attribute in attributes)
        {
            var column = DedicatedColumns.IndexOf(attribute);
            if (column >= 0 && !taken[column]) taken[column] = true;
            else if (DedicatedColumns.IsDedicatedKey(attribute.Key)) into.Add(InBlob(attribute.Key));
        }
    }

    /// <summary>
    /// The hash a span satisfying <paramref name="condition"/> must have put in the bloom, or
    /// null when the condition cannot be decided by value (ranges, regexes, kinds...).
    /// </summary>
    public static ulong? Required(Condition condition)
    {
        if (condition.Operator != ConditionOperator.Equal || condition.Operand is not { } operand) return null;
        if (condition.Scope == ConditionScope.Intrinsic)
        {
            return condition.Name switch
            {
                Intrinsics.Name => Hash(NameKey, AttributeValue.FromString(operand.AsString())),
                Intrinsics.ServiceName => Hash(ServiceKey, AttributeValue.FromString(operand.AsString())),
                _ => null,
            };
        }
        return operand.Type switch
        {
            StaticType.String => Hash(condition.Name, AttributeValue.FromString(operand.AsString())),
            StaticType.Int or StaticType.Double => double.IsNaN(operand.ToNumber()) ? null : Hash(condition.Name, AttributeValue.FromDouble(operand.ToNumber())),
            StaticType.Bool => Hash(condition.Name, AttributeValue.FromBool(operand.AsBool())),
            _ => null,
        };
    }

    private static void AddAll(HashSet<ulong> into, KeyValue[] attributes)
    {
        foreach (var attribute in attributes)
        {
            // An array matches a condition when any element does (ConditionEvaluator), so each
            // scalar element is indexed under the array's key.
            if (attribute.Value.Type == AttributeType.Array)
            {
                foreach (var element in attribute.Value.AsArray()) AddScalar(into, attribute.Key, element);
            }
            else
            {
                AddScalar(into, attribute.Key, attribute.Value);
            }
        }
    }

    private static void AddScalar(HashSet<ulong> into, string key, AttributeValue value)
    {
        if (value.Type == AttributeType.Int) value = AttributeValue.FromDouble(value.AsInt());
        if (value.Type is AttributeType.String or AttributeType.Double or AttributeType.Bool)
            into.Add(Hash(key, value));
    }

    private static ulong Hash(string key, AttributeValue value)
    {
        var keyBytes = Encoding.UTF8.GetByteCount(key);
        var valueBytes = value.Type == AttributeType.String ? Encoding.UTF8.GetByteCount(value.AsString()) : 8;
        var length = keyBytes + 2 + valueBytes;
        var rented = length <= 512 ? null : ArrayPool<byte>.Shared.Rent(length);
        Span<byte> buffer = rented ?? stackalloc byte[512];
        var at = Encoding.UTF8.GetBytes(key, buffer);
        buffer[at++] = 0;
        switch (value.Type)
        {
            case AttributeType.String:
                buffer[at++] = StringTag;
                at += Encoding.UTF8.GetBytes(value.AsString(), buffer[at..]);
                break;
            case AttributeType.Double:
                buffer[at++] = NumberTag;
                // +0 and -0 compare equal: hash them alike.
                var number = value.AsDouble() == 0 ? 0d : value.AsDouble();
                BitConverter.TryWriteBytes(buffer[at..], number);
                at += 8;
                break;
            default:
                buffer[at++] = BoolTag;
                buffer[at++] = value.AsBool() ? (byte)1 : (byte)0;
                break;
        }
        var hash = BloomFilter.Hash(buffer[..at]);
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        return hash;
    }
}
