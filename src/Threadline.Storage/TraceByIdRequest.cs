using Threadline.Core.Model;

namespace Threadline.Storage;

/// <summary>
/// A trace lookup with optional time hints (as Tempo's <c>start</c>/<c>end</c> on trace by id):
/// an engine may skip every block outside [<see cref="StartHintUnixNano"/>, <see cref="EndHintUnixNano"/>).
/// </summary>
public sealed record TraceByIdRequest(TraceId TraceId)
{
    /// <summary>The trace is known to have a span ending at or after this (Unix ns); 0 for no hint.</summary>
    public ulong StartHintUnixNano { get; init; }

    /// <summary>The trace is known to have a span starting before this (Unix ns); 0 for no hint.</summary>
    public ulong EndHintUnixNano { get; init; }

    public TenantId Tenant { get; init; }

    /// <summary>Whether a trace spanning [start, end] overlaps the hinted window.</summary>
    public bool Overlaps(ulong traceStartUnixNano, ulong traceEndUnixNano) =>
        traceEndUnixNano >= StartHintUnixNano && (EndHintUnixNano == 0 || traceStartUnixNano < EndHintUnixNano);
}

/// <summary>The time range (and tenant) a catalog call covers: spans starting in [start, end).</summary>
public sealed record CatalogRequest
{
    /// <summary>Earliest span start included (Unix ns); 0 for no lower bound.</summary>
    public ulong StartTimeUnixNano { get; init; }

    /// <summary>Span starts before this are included (Unix ns); 0 for no upper bound.</summary>
    public ulong EndTimeUnixNano { get; init; }

    public TenantId Tenant { get; init; }

    public bool InRange(ulong startTimeUnixNano) =>
        startTimeUnixNano >= StartTimeUnixNano && (EndTimeUnixNano == 0 || startTimeUnixNano < EndTimeUnixNano);
}
