namespace Threadline.Storage.Memory;

/// <summary>
/// Bounds of the memory engine, bound from <c>Threadline:Storage:Memory</c>. Every bound exists so
/// that a flood of spans, or hostile input with endless distinct names, keys or values, costs a
/// known amount of memory. The defaults here are the only ones.
/// </summary>
public sealed class MemoryStoreOptions
{
    /// <summary>
    /// Most spans kept. Appending past it evicts whole traces, oldest first by first arrival.
    /// </summary>
    public int MaxSpans { get; set; } = 1_000_000;

    /// <summary>Most distinct values kept per attribute key for the tag-values catalog; later values are not listed.</summary>
    public int MaxTagValuesPerKey { get; set; } = 1_000;

    /// <summary>
    /// Longest value (in characters of its text form) kept in the tag-values catalog. Longer
    /// values (SQL statements, stack traces) are still stored and searchable, only not listed.
    /// </summary>
    public int MaxTagValueLength { get; set; } = 256;

    /// <summary>Most distinct attribute keys kept for the tag-keys catalog.</summary>
    public int MaxTagKeys { get; set; } = 10_000;

    /// <summary>Most distinct services kept for the services catalog.</summary>
    public int MaxServices { get; set; } = 10_000;

    /// <summary>Most distinct operations (span name and kind) kept per service for the operations catalog.</summary>
    public int MaxOperationsPerService { get; set; } = 10_000;

    /// <summary>
    /// Whether span metrics and service-graph edges are kept at ingest (on by default; off only
    /// to measure what they cost).
    /// </summary>
    public bool KeepAggregates { get; set; } = true;

    /// <summary>
    /// Most (minute, key) entries of span metrics and service-graph edges together. Past it the
    /// oldest minutes are dropped, as traces are evicted past <see cref="MaxSpans"/>.
    /// </summary>
    public int MaxAggregateEntries { get; set; } = 100_000;

    /// <summary>Most span-metrics keys (and, separately, edges) in one minute; spans of further keys are counted as capped.</summary>
    public int MaxAggregateKeysPerMinute { get; set; } = 10_000;

    /// <summary>Most CLIENT/SERVER/PRODUCER/CONSUMER spans waiting for their partner; past it the longest-waiting is given up and counted.</summary>
    public int MaxPendingPairs { get; set; } = 100_000;

    /// <summary>Seconds a span waits for its service-graph partner before it is given up and counted.</summary>
    public int PairingWaitSeconds { get; set; } = 10;

    /// <summary>
    /// Every bound that is zero or negative, one message each naming the option (relative to the
    /// engine's configuration section); empty when valid.
    /// </summary>
    public IReadOnlyList<string> Problems() =>
        [.. Bounds().Where(b => b.Value < 1).Select(b => $"{b.Name} must be at least 1, got {b.Value}.")];

    /// <exception cref="ArgumentOutOfRangeException">A bound is zero or negative.</exception>
    public void Validate()
    {
        foreach (var (name, value) in Bounds())
        {
            if (value < 1)
                throw new ArgumentOutOfRangeException(name, value, $"Memory store option {name} must be at least 1; got {value}.");
        }
    }

    private IEnumerable<(string Name, int Value)> Bounds() =>
    [
        (nameof(MaxSpans), MaxSpans),
        (nameof(MaxTagValuesPerKey), MaxTagValuesPerKey),
        (nameof(MaxTagValueLength), MaxTagValueLength),
        (nameof(MaxTagKeys), MaxTagKeys),
        (nameof(MaxServices), MaxServices),
        (nameof(MaxOperationsPerService), MaxOperationsPerService),
        (nameof(MaxAggregateEntries), MaxAggregateEntries),
        (nameof(MaxAggregateKeysPerMinute), MaxAggregateKeysPerMinute),
        (nameof(MaxPendingPairs), MaxPendingPairs),
        (nameof(PairingWaitSeconds), PairingWaitSeconds),
    ];
}
