using Threadline.Core.Model;

namespace Threadline.Query.TraceQL.Metrics;

/// <summary>
/// The label values that tell one series from another (the <c>by()</c> values, then a
/// histogram's bucket), usable as a dictionary key. <see cref="AttributeValue.Empty"/> stands
/// for a missing value (TraceQL's nil). A lookup wraps a reused scratch array; only a new series
/// copies it, so the per-span path does not allocate.
/// </summary>
internal readonly struct SeriesKey(AttributeValue[] values) : IEquatable<SeriesKey>
{
    public AttributeValue[] Values { get; } = values;

    public SeriesKey Copy() => new((AttributeValue[])Values.Clone());

    public bool Equals(SeriesKey other) => Values.AsSpan().SequenceEqual(other.Values);

    public override bool Equals(object? obj) => obj is SeriesKey other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var value in Values) hash.Add(value);
        return hash.ToHashCode();
    }
}
