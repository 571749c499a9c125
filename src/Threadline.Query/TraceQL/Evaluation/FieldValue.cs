using Threadline.Core.Model;
using Threadline.Storage.Fetch;

namespace Threadline.Query.TraceQL.Evaluation;

/// <summary>
/// The value of a field on one span: nothing (a missing attribute), one value, or many (an
/// array attribute, or an event or link field over all of the span's events or links), where
/// comparisons match on any element as TraceQL's arrays do.
/// </summary>
internal readonly struct FieldValue
{
    private FieldValue(StaticValue value, AttributeValue[]? many, bool present)
    {
        Value = value;
        Many = many;
        IsPresent = present;
    }

    public static FieldValue Nil => default;

    public bool IsPresent { get; }

    /// <summary>The single value; meaningless when <see cref="Many"/> is set or nothing is present.</summary>
    public StaticValue Value { get; }

    /// <summary>The elements of a many-valued field; null for a single value.</summary>
    public AttributeValue[]? Many { get; }

    public bool IsSingle => IsPresent && Many is null;

    public static FieldValue Of(StaticValue value) => new(value, null, true);

    public static FieldValue OfMany(AttributeValue[] values) => new(default, values, true);

    /// <summary>An attribute value as TraceQL sees it: scalars as they are, arrays as many values, bytes and maps as nothing.</summary>
    public static FieldValue Of(AttributeValue value) => value.Type switch
    {
        AttributeType.String => Of(StaticValue.String(value.AsString())),
        AttributeType.Int => Of(StaticValue.Int(value.AsInt())),
        AttributeType.Double => Of(StaticValue.Double(value.AsDouble())),
        AttributeType.Bool => Of(StaticValue.Bool(value.AsBool())),
        AttributeType.Array => OfMany(value.AsArray()),
        _ => Nil,
    };

    public static bool TryScalar(AttributeValue value, out StaticValue scalar)
    {
        var field = Of(value);
        scalar = field.Value;
        return field.IsSingle;
    }

    public bool IsTrue => IsSingle && Value.Type == StaticType.Bool && Value.AsBool();

    /// <summary>The value as a result attribute, as Tempo writes it: statuses and kinds as their names, durations in Go's format.</summary>
    public AttributeValue ToAttributeValue()
    {
        if (!IsPresent) return AttributeValue.FromString("nil");
        if (Many is not null) return AttributeValue.FromArray(Many);
        return Value.Type switch
        {
            StaticType.String => AttributeValue.FromString(Value.AsString()),
            StaticType.Int => AttributeValue.FromInt(Value.AsInt()),
            StaticType.Double => AttributeValue.FromDouble(Value.AsDouble()),
            StaticType.Bool => AttributeValue.FromBool(Value.AsBool()),
            StaticType.Duration => AttributeValue.FromString(GoDuration.Format(Value.AsDuration())),
            StaticType.Kind => AttributeValue.FromString(Value.AsKind().ToString().ToLowerInvariant()),
            _ => AttributeValue.FromString(Value.AsStatus().ToString().ToLowerInvariant()),
        };
    }

    /// <summary>The value as raw data for metrics: durations as integer nanoseconds, statuses and kinds as their names, nothing as <see cref="AttributeValue.Empty"/>.</summary>
    public AttributeValue ToRawAttributeValue()
    {
        if (!IsPresent) return AttributeValue.Empty;
        if (Many is not null) return AttributeValue.FromArray(Many);
        return Value.Type == StaticType.Duration
            ? AttributeValue.FromInt((long)Math.Min(Value.AsDuration(), long.MaxValue))
            : ToAttributeValue();
    }

    /// <summary>A key for grouping by the value (<c>by()</c>).</summary>
    public object GroupKey => !IsPresent ? NilKey : Many is not null ? string.Join('\u0001', Many.Select(v => v.ToString())) : Value;

    private static readonly object NilKey = new();
}
