using System.Text.Json;
using Threadline.Core.Model;

namespace Threadline.Cli.Query;

/// <summary>
/// What <c>threadline trace</c> shows beside the waterfall, read from the server's
/// <c>/api/v1/traces/{id}/critical-path</c> and <c>/health</c> answers (docs/api.md, "Trace analyses").
/// </summary>
internal sealed record TraceAnalyses(IReadOnlySet<SpanId> CriticalSpans, ulong CriticalPathNanos, IReadOnlyList<TraceFinding> Findings, int ShiftedSpans)
{
    /// <summary>Fetches both analyses of the trace.</summary>
    /// <exception cref="ServerCallException">The server could not be reached or refused.</exception>
    /// <exception cref="JsonException">An answer is not the documented JSON.</exception>
    public static async Task<TraceAnalyses> FetchAsync(ServerClient client, TraceId traceId, CancellationToken cancellationToken)
    {
        var path = await client.GetAsync($"/api/v1/traces/{traceId}/critical-path", cancellationToken).ConfigureAwait(false);
        var health = await client.GetAsync($"/api/v1/traces/{traceId}/health", cancellationToken).ConfigureAwait(false);
        return Parse(path, health);
    }

    internal static TraceAnalyses Parse(string criticalPathJson, string healthJson)
    {
        using var path = JsonDocument.Parse(criticalPathJson);
        using var health = JsonDocument.Parse(healthJson);
        var critical = new HashSet<SpanId>();
        foreach (var span in path.RootElement.GetProperty("spans").EnumerateArray())
        {
            if (SpanId.TryParse(span.GetProperty("spanId").GetString(), out var id)) critical.Add(id);
        }
        var findings = health.RootElement.GetProperty("findings").EnumerateArray()
            .Select(f => new TraceFinding(
                f.GetProperty("kind").GetString() ?? string.Empty,
                f.GetProperty("severity").GetString() ?? string.Empty,
                f.GetProperty("title").GetString() ?? string.Empty,
                f.GetProperty("message").GetString() ?? string.Empty))
            .ToArray();
        return new TraceAnalyses(critical, path.RootElement.GetProperty("durationNanos").GetUInt64(), findings,
            health.RootElement.GetProperty("skewAdjustments").GetArrayLength());
    }
}

/// <summary>One health finding as the server words it.</summary>
internal sealed record TraceFinding(string Kind, string Severity, string Title, string Message);
