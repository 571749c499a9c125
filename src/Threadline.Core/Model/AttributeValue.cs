using System.Globalization;

namespace Threadline.Core.Model;

/// <summary>The type held by an <see cref="AttributeValue"/>; mirrors OTLP's AnyValue.</summary>
public enum AttributeType : byte
{
    /// <summary>No value (an AnyValue with nothing set).</summary>
    Empty = 0,
    String,
    Bool,
    Int,
    Double,
    Bytes,
    Array,
    KeyValueList,
}

/// <summary>
/// A typed attribute value: string, bool, 64-bit integer, double, bytes, array of values, or a
/// list of key-values. A small struct: scalars live inline, everything else in one reference.
/// </summary>
public readonly struct AttributeValue : IEquatable<AttributeValue>
{
    private readonly long _bits;
    private readonly object? _ref;

    private AttributeValue(AttributeType type, long bits, object? reference)
    {
        Type = type;
        _bits = bits;
        _ref = reference;
    }

    public AttributeType Type { get; }

    public static readonly AttributeValue Empty;

    public static AttributeValue FromString(string value) => new(AttributeType.String, 0, value ?? throw new ArgumentNullException(nameof(value)));
    public static AttributeValue FromBool(bool value) => new(AttributeType.Bool, value ? 1 : 0, null);
    public static AttributeValue FromInt(long value) => new(AttributeType.Int, value, null);
    public static AttributeValue FromDouble(double value) => new(AttributeType.Double, BitConverter.DoubleToInt64Bits(value), null);
    public static AttributeValue FromBytes(byte[] value) => new(AttributeType.Bytes, 0, value ?? throw new ArgumentNullException(nameof(value)));
    public static AttributeValue FromArray(AttributeValue[] values) => new(AttributeType.Array, 0, values ?? throw new ArgumentNullException(nameof(values)));
    public static AttributeValue FromKeyValueList(KeyValue[] values) => new(AttributeType.KeyValueList, 0, values ?? throw new ArgumentNullException(nameof(values)));

    public static implicit operator AttributeValue(string value) => FromString(value);
    public static implicit operator AttributeValue(bool value) => FromBool(value);
    public static implicit operator AttributeValue(long value) => FromInt(value);
    public static implicit operator AttributeValue(int value) => FromInt(value);
    public static implicit operator AttributeValue(double value) => FromDouble(value);

    public string AsString() => Type == AttributeType.String ? (string)_ref! : throw WrongType(AttributeType.String);
    public bool AsBool() => Type == AttributeType.Bool ? _bits != 0 : throw WrongType(AttributeType.Bool);
    public long AsInt() => Type == AttributeType.Int ? _bits : throw WrongType(AttributeType.Int);
    public double AsDouble() => Type == AttributeType.Double ? BitConverter.Int64BitsToDouble(_bits) : throw WrongType(AttributeType.Double);
    public byte[] AsBytes() => Type == AttributeType.Bytes ? (byte[])_ref! : throw WrongType(AttributeType.Bytes);
    public AttributeValue[] AsArray() => Type == AttributeType.Array ? (AttributeValue[])_ref! : throw WrongType(AttributeType.Array);
    public KeyValue[] AsKeyValueList() => Type == AttributeType.KeyValueList ? (KeyValue[])_ref! : throw WrongType(AttributeType.KeyValueList);

    private InvalidOperationException WrongType(AttributeType wanted) =>
        new($"The attribute value is {Type}, not {wanted}.");

    /// <summary>
    /// The value as a user would type it in a search box: strings as-is, bools lower-case,
    /// numbers invariant, bytes base64, arrays and lists in a JSON-like form.
    /// </summary>
    public override string ToString() => Type switch
    {
        AttributeType.Empty => string.Empty,
        AttributeType.String => (string)_ref!,
        AttributeType.Bool => _bits != 0 ? "true" : "false",
        AttributeType.Int => _bits.ToString(CultureInfo.InvariantCulture),
        AttributeType.Double => BitConverter.Int64BitsToDouble(_bits).ToString("R", CultureInfo.InvariantCulture),
        AttributeType.Bytes => Convert.ToBase64String((byte[])_ref!),
        AttributeType.Array => "[" + string.Join(",", ((AttributeValue[])_ref!).Select(v => v.ToString())) + "]",
        AttributeType.KeyValueList => "{" + string.Join(",", ((KeyValue[])_ref!).Select(kv => kv.Key + "=" + kv.Value.ToString())) + "}",
        _ => string.Empty,
    };

    public bool Equals(AttributeValue other)
    {
        if (Type != other.Type) return false;
        return Type switch
        {
            AttributeType.Empty => true,
            AttributeType.String => string.Equals((string)_ref!, (string)other._ref!, StringComparison.Ordinal),
            AttributeType.Bool or AttributeType.Int or AttributeType.Double => _bits == other._bits,
            AttributeType.Bytes => ((byte[])_ref!).AsSpan().SequenceEqual((byte[])other._ref!),
            AttributeType.Array => ((AttributeValue[])_ref!).AsSpan().SequenceEqual((AttributeValue[])other._ref!),
            AttributeType.KeyValueList => ((KeyValue[])_ref!).AsSpan().SequenceEqual((KeyValue[])other._ref!),
            _ => false,
        };
    }

    public override bool Equals(object? obj) => obj is AttributeValue other && Equals(other);

    public override int GetHashCode() => Type switch
    {
        AttributeType.String => HashCode.Combine(Type, ((string)_ref!).GetHashCode(StringComparison.Ordinal)),
        AttributeType.Bool or AttributeType.Int or AttributeType.Double => HashCode.Combine(Type, _bits),
        AttributeType.Bytes or AttributeType.Array or AttributeType.KeyValueList => HashCode.Combine(Type, ToString()),
        _ => 0,
    };

    public static bool operator ==(AttributeValue left, AttributeValue right) => left.Equals(right);
    public static bool operator !=(AttributeValue left, AttributeValue right) => !left.Equals(right);
}

/// <summary>An attribute: a key and its typed value.</summary>
public readonly record struct KeyValue(string Key, AttributeValue Value);
