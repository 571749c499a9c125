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
