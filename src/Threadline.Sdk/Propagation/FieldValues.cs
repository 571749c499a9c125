namespace Threadline.Sdk.Propagation;

/// <summary>
/// The values a carrier holds for one field: none, one, or several in the order received. A single
/// string is held without allocating, which keeps the per-request extraction path allocation-light.
/// </summary>
public readonly struct FieldValues : IEquatable<FieldValues>
{
    // null, a string, or an IEnumerable<string>; never anything else.
    private readonly object? _values;

    /// <summary>One value, or none when <paramref name="value"/> is null.</summary>
    public FieldValues(string? value) => _values = value;

    /// <summary>Several values in the order received, or none when <paramref name="values"/> is null.</summary>
    public FieldValues(IEnumerable<string>? values) => _values = values;

    /// <summary>True when the carrier has no value for the field.</summary>
    public bool IsEmpty
    {
        get
        {
            if (_values is null) return true;
            if (_values is string) return false;
            using var enumerator = ((IEnumerable<string>)_values).GetEnumerator();
            return !enumerator.MoveNext();
        }
    }

    /// <summary>The first value, or null when there is none.</summary>
    public string? First
    {
        get
        {
            if (_values is string single) return single;
            if (_values is null) return null;
            using var enumerator = ((IEnumerable<string>)_values).GetEnumerator();
            return enumerator.MoveNext() ? enumerator.Current : null;
        }
    }

    /// <summary>Gets the value when there is exactly one; false when there is none or several.</summary>
    public bool TryGetSingle(out string value)
    {
        if (_values is string single)
        {
            value = single;
            return true;
        }

        value = string.Empty;
        if (_values is null) return false;
        using var enumerator = ((IEnumerable<string>)_values).GetEnumerator();
        if (!enumerator.MoveNext()) return false;
        var first = enumerator.Current;
        if (enumerator.MoveNext()) return false;
        value = first;
        return true;
    }

    /// <summary>
    /// All values joined with commas, the way RFC 9110 combines a repeated header into one; null
    /// when there is none.
    /// </summary>
    public string? Combined()
    {
        if (_values is string single) return single;
        if (_values is null) return null;
        using var enumerator = ((IEnumerable<string>)_values).GetEnumerator();
        if (!enumerator.MoveNext()) return null;
        var first = enumerator.Current;
        return enumerator.MoveNext() ? string.Join(',', (IEnumerable<string>)_values) : first;
    }

    /// <summary>Wraps one value.</summary>
    public static implicit operator FieldValues(string? value) => new(value);

    /// <summary>Wraps several values.</summary>
    public static implicit operator FieldValues(string[]? values) => new(values);

    /// <inheritdoc/>
    public bool Equals(FieldValues other) => ReferenceEquals(_values, other._values);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is FieldValues other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _values?.GetHashCode() ?? 0;

    /// <summary>True when both wrap the same instance.</summary>
    public static bool operator ==(FieldValues left, FieldValues right) => left.Equals(right);

    /// <summary>True when the two wrap different instances.</summary>
    public static bool operator !=(FieldValues left, FieldValues right) => !left.Equals(right);

    /// <summary>The values joined with commas, or an empty string.</summary>
    public override string ToString() => Combined() ?? string.Empty;
}
