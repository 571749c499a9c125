using System.Collections;
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Threadline.Sdk.Propagation;

/// <summary>One W3C baggage member.</summary>
/// <param name="Key">The key, an RFC 7230 token such as <c>userId</c>.</param>
/// <param name="Value">The value, already percent-decoded.</param>
/// <param name="Properties">
/// The properties that followed the value, e.g. <c>ttl=30;sensitive</c> (without the leading
/// semicolon), or null. They are opaque: kept and sent on as received.
/// </param>
public readonly record struct BaggageEntry(string Key, string Value, string? Properties = null);

/// <summary>
/// An immutable, ordered list of W3C baggage members. Keys may repeat (the W3C format allows it);
/// <see cref="GetValue"/> returns the first.
/// </summary>
public sealed class Baggage : IReadOnlyList<BaggageEntry>
{
    // Activity keeps baggage as plain key/value strings, so properties have nowhere to live there.
    // They ride on the identity of the value string instead: the exact instance handed to
    // Activity.AddBaggage comes back out of Activity.Baggage, and a value set later by user code is
    // a different instance, which correctly carries no properties. Empty values are the shared
    // string.Empty instance, so their properties cannot be tracked and are dropped.
    private static readonly ConditionalWeakTable<string, string> s_propertiesByValue = new();

    private readonly BaggageEntry[] _entries;

    /// <summary>Baggage with no members.</summary>
    public static Baggage Empty { get; } = new(Array.Empty<BaggageEntry>());

    /// <summary>Creates baggage from entries, kept in the order given.</summary>
    public Baggage(IEnumerable<BaggageEntry> entries)
        : this(entries.ToArray())
    {
    }

    // Takes ownership of the array: callers pass one nobody else holds.
    private Baggage(BaggageEntry[] entries) => _entries = entries;

    internal static Baggage Wrap(BaggageEntry[] entries) => entries.Length == 0 ? Empty : new Baggage(entries);

    /// <inheritdoc/>
    public int Count => _entries.Length;

    /// <summary>True when there are no members.</summary>
    public bool IsEmpty => _entries.Length == 0;

    /// <inheritdoc/>
    public BaggageEntry this[int index] => _entries[index];

    /// <summary>The value of the first member with <paramref name="key"/> (case-sensitive), or null.</summary>
    public string? GetValue(string key)
    {
        foreach (var entry in _entries)
        {
            if (string.Equals(entry.Key, key, StringComparison.Ordinal)) return entry.Value;
        }
        return null;
    }

    /// <summary>
    /// The baggage visible from <paramref name="activity"/>: its own and its parents', nearest
    /// first, one member per key (the nearest wins, as <see cref="Activity.GetBaggageItem"/> does).
    /// </summary>
    public static Baggage FromActivity(Activity? activity)
    {
        if (activity is null) return Empty;
        List<BaggageEntry>? entries = null;
        foreach (var (key, value) in activity.Baggage)
        {
            entries ??= [];
            if (ContainsKey(entries, key)) continue;
            var text = value ?? string.Empty;
            s_propertiesByValue.TryGetValue(text, out var properties);
            entries.Add(new BaggageEntry(key, text, properties));
        }
        return entries is null ? Empty : Wrap(entries.ToArray());
    }

    /// <summary>
    /// Adds every member to <paramref name="activity"/> so that <see cref="Activity.Baggage"/>
    /// lists them in this order and the next outgoing call sends them on, properties included.
    /// </summary>
    public void ApplyTo(Activity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        // Activity.AddBaggage puts each item in front of the previous ones.
        for (var i = _entries.Length - 1; i >= 0; i--)
        {
            activity.AddBaggage(_entries[i].Key, ToActivityValue(_entries[i]));
        }
    }

    /// <summary>
    /// The members in reverse order, as <see cref="DistributedContextPropagator.ExtractBaggage"/>
    /// returns them: ASP.NET Core adds them one by one with AddBaggage, which reverses them again.
    /// </summary>
    internal KeyValuePair<string, string?>[] ToReversedActivityBaggage()
    {
        var result = new KeyValuePair<string, string?>[_entries.Length];
        for (var i = 0; i < _entries.Length; i++)
        {
            var entry = _entries[_entries.Length - 1 - i];
            result[i] = new KeyValuePair<string, string?>(entry.Key, ToActivityValue(entry));
        }
        return result;
    }

    private static string ToActivityValue(BaggageEntry entry)
    {
        var value = entry.Value ?? string.Empty;
        if (entry.Properties is { Length: > 0 } properties && value.Length > 0)
        {
            s_propertiesByValue.AddOrUpdate(value, properties);
        }
        return value;
    }

    private static bool ContainsKey(List<BaggageEntry> entries, string key)
    {
        foreach (var entry in entries)
        {
            if (string.Equals(entry.Key, key, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    /// <inheritdoc/>
    public IEnumerator<BaggageEntry> GetEnumerator() => ((IEnumerable<BaggageEntry>)_entries).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
