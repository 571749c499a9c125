namespace Threadline.Storage.Aggregates;

/// <summary>The tally of one key in one minute (minutes since the Unix epoch).</summary>
public readonly record struct MinuteTally<TKey>(long Minute, TKey Key, SpanTally Tally);

/// <summary>What <see cref="IngestAggregates.Drain"/> hands over: the span-metrics and service-graph tallies counted since the last drain.</summary>
public sealed record AggregateDelta(IReadOnlyList<MinuteTally<SpanMetricsKey>> Metrics, IReadOnlyList<MinuteTally<ServiceGraphKey>> Edges);
