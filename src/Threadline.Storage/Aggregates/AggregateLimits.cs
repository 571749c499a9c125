namespace Threadline.Storage.Aggregates;

/// <summary>The bounds of an <see cref="IngestAggregates"/>; an engine maps its options onto these.</summary>
/// <param name="MaxEntries">Most (minute, key) entries, span metrics and edges together; past it the oldest minutes go.</param>
/// <param name="MaxKeysPerMinute">Most span-metrics keys, and separately most edges, in one minute; more are counted as capped.</param>
/// <param name="MaxPendingSpans">Most spans waiting for their service-graph partner; past it the longest-waiting is given up.</param>
/// <param name="PairingWait">How long a span waits for its partner before it is given up and counted.</param>
public readonly record struct AggregateLimits(int MaxEntries, int MaxKeysPerMinute, int MaxPendingSpans, TimeSpan PairingWait);
