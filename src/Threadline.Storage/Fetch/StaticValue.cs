using System.Globalization;
using Threadline.Core.Model;

namespace Threadline.Storage.Fetch;

/// <summary>The type of a <see cref="StaticValue"/>.</summary>
public enum StaticType : byte
{
    String = 0,
    Int,
    Double,
    Bool,

    /// <summary>A duration in nanoseconds.</summary>
    Duration,
    Kind,
    Status,
}

/// <summary>
/// A typed operand of a <see cref="Condition"/>, as a query literal: <c>500</c> is an integer and
/// compares numerically (with integers and doubles alike), <c>"500"</c> is a string and compares
/// ordinally with strings only.
/// </summary>
public readonly record struct StaticValue
{
    private readonly long _bits;
    private readonly string? _text;

    private StaticValue(StaticType type, long bits, string? text)
    {
        Type = type;
        _bits = bits;
        _text = text;
    }

    public StaticType Type { get; }

    public static StaticValue String(string value) => new(StaticType.String, 0, value ?? throw new ArgumentNullException(nameof(value)));
    public static StaticValue Int(long value) => new(StaticType.Int, value, null);
    public static StaticValue Double(double value) => new(StaticType.Double, BitConverter.DoubleToInt64Bits(value), null);
    public static StaticValue Bool(bool value) => new(StaticType.Bool, value ? 1 : 0, null);
    public static StaticValue Duration(ulong nanoseconds) => new(StaticType.Duration, (long)Math.Min(nanoseconds, long.MaxValue), null);
    public static StaticValue Kind(SpanKind kind) => new(StaticType.Kind, (long)kind, null);
    public static StaticValue Status(StatusCode status) => new(StaticType.Status, (long)status, null);

    public string AsString() => Type == StaticType.String ? _text! : throw WrongType(StaticType.String);
    public long AsInt() => Type == StaticType.Int ? _bits : throw WrongType(StaticType.Int);
    public double AsDouble() => Type == StaticType.Double ? BitConverter.Int64BitsToDouble(_bits) : throw WrongType(StaticType.Double);
    public bool AsBool() => Type == StaticType.Bool ? _bits != 0 : throw WrongType(StaticType.Bool);
    public ulong AsDuration() => Type == StaticType.Duration ? (ulong)_bits : throw WrongType(StaticType.Duration);
    public SpanKind AsKind() => Type == StaticType.Kind ? (SpanKind)_bits : throw WrongType(StaticType.Kind);
    public StatusCode AsStatus() => Type == StaticType.Status ? (StatusCode)_bits : throw WrongType(StaticType.Status);

    /// <summary>True for integers and doubles, which compare with each other.</summary>
    public bool IsNumber => Type is StaticType.Int or StaticType.Double;

    /// <summary>The value of an integer or double as a double.</summary>
    public double ToNumber() => Type switch
    {
        StaticType.Int => _bits,
        StaticType.Double => BitConverter.Int64BitsToDouble(_bits),
        _ => throw WrongType(StaticType.Double),
    };

    public override string ToString() => Type switch
    {
        StaticType.String => $"\"{_text}\"",
        StaticType.Int => _bits.ToString(CultureInfo.InvariantCulture),
        StaticType.Double => BitConverter.Int64BitsToDouble(_bits).ToString("R", CultureInfo.InvariantCulture),
        StaticType.Bool => _bits != 0 ? "true" : "false",
        StaticType.Duration => _bits.ToString(CultureInfo.InvariantCulture) + "ns",
        StaticType.Kind => ((SpanKind)_bits).ToString().ToLowerInvariant(),
        StaticType.Status => ((StatusCode)_bits).ToString().ToLowerInvariant(),
        _ => string.Empty,
    };

    private InvalidOperationException WrongType(StaticType wanted) => new($"The operand is {Type}, not {wanted}.");
}
