namespace Threadline.Storage;

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
