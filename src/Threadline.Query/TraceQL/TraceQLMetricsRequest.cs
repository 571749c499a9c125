using Threadline.Storage;

namespace Threadline.Query.TraceQL;

/// <summary>A TraceQL metrics query, as Tempo's <c>/api/metrics/query_range</c> takes it.</summary>
public sealed record TraceQLMetricsRequest
{
    /// <summary>The TraceQL text, e.g. <c>{ } | rate() by (resource.service.name)</c>.</summary>
    public required string Query { get; init; }

    /// <summary>Start of the range (Unix ns); 0 for the engine's default range ending at <see cref="EndUnixNano"/>.</summary>
    public ulong StartUnixNano { get; init; }

    /// <summary>End of the range, exclusive (Unix ns); 0 for now.</summary>
    public ulong EndUnixNano { get; init; }

    /// <summary>Width of one sample (ns); 0 lets the engine pick one from the range.</summary>
    public ulong StepNanos { get; init; }

    public TenantId Tenant { get; init; }

    /// <summary>Most exemplars returned per series; 0 for none.</summary>
    public int MaxExemplars { get; init; }
}
