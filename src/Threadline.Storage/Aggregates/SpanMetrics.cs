using Threadline.Core.Model;

namespace Threadline.Storage.Aggregates;

/// <summary>What span metrics are kept per: one series per service, span name, kind and status code.</summary>
public readonly record struct SpanMetricsKey(string ServiceName, string SpanName, SpanKind Kind, StatusCode StatusCode);

/// <summary>Counts and durations of a set of spans: what RED (rate, errors, duration) needs.</summary>
/// <param name="Count">Spans.</param>
/// <param name="ErrorCount">Spans with status <see cref="StatusCode.Error"/>.</param>
/// <param name="Durations">Their durations (a copy the caller owns).</param>
public sealed record SpanTally(long Count, long ErrorCount, DurationSketch Durations);

/// <summary>One step of a series: the tally of the minutes in [<see cref="StartUnixNano"/>, start + step).</summary>
public sealed record AggregatePoint(ulong StartUnixNano, SpanTally Tally);

/// <summary>The span metrics of one key over a query's range, and per step when asked.</summary>
public sealed record SpanMetricsSeries(SpanMetricsKey Key, SpanTally Total, IReadOnlyList<AggregatePoint> Points);

/// <summary>
/// How a caller reaches its callee: a call or a message between two traced services, or a call
/// or message to an untraced database, host or destination (a virtual node). Stored as a byte by
/// the embedded engine: values are only ever added.
/// </summary>
public enum ConnectionType : byte
{
    /// <summary>A CLIENT span and its SERVER child.</summary>
    Call = 0,

    /// <summary>A PRODUCER span and a CONSUMER span that is its child or links to it.</summary>
    Messaging,

    /// <summary>A CLIENT span with <c>db.system</c> whose SERVER never came: an edge to a database node (<see cref="VirtualNodes"/>).</summary>
    Database,

    /// <summary>A CLIENT span naming a host or peer service whose SERVER never came: an edge to an external node.</summary>
    External,

    /// <summary>A PRODUCER span with <c>messaging.system</c> that no consumer ever matched: an edge to the destination's node.</summary>
    MessagingSystem,
}

/// <summary>A service-graph edge: who calls whom, and how; for a virtual node the callee is its id (<see cref="VirtualNodes"/>).</summary>
public readonly record struct ServiceGraphKey(string Caller, string Callee, ConnectionType ConnectionType);

/// <summary>
/// An edge of the service graph over a query's range. The tally's durations are the caller
/// side's (the CLIENT or PRODUCER span); a pair counts as an error when either side failed.
/// </summary>
public sealed record ServiceGraphEdge(ServiceGraphKey Key, SpanTally Total, IReadOnlyList<AggregatePoint> Points);

/// <summary>A consistent snapshot of what the ingest-time aggregates hold and have given up.</summary>
/// <param name="Entries">(minute, key) entries held now, span metrics and edges together.</param>
/// <param name="CappedSpans">Spans not counted in span metrics because their minute already had the most keys allowed.</param>
/// <param name="CappedEdges">Matched pairs not counted because their minute already had the most edges allowed.</param>
/// <param name="EvictedMinutes">Minutes dropped, oldest first, to stay within the entry budget.</param>
/// <param name="ExpiredUnpairedSpans">CLIENT/SERVER/PRODUCER/CONSUMER spans whose partner did not arrive in time (or that the pending map had no room for).</param>
/// <param name="PendingSpans">Spans waiting for their partner now.</param>
public readonly record struct AggregateStatistics(long Entries, long CappedSpans, long CappedEdges, long EvictedMinutes, long ExpiredUnpairedSpans, long PendingSpans);
