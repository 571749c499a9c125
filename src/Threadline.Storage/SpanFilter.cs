using Threadline.Core.Model;

namespace Threadline.Storage;

/// <summary>
/// The span-level filters of a <see cref="TraceQuery"/>: a trace matches the query when one of
/// its spans passes <see cref="Matches"/>. Shared so that every engine scanning spans applies
/// the same rules.
/// </summary>
public sealed class SpanFilter
{
    private readonly TraceQuery _query;
    private readonly KeyValuePair<string, string>[] _attributes;
    private readonly ulong _latestStart;

    public SpanFilter(TraceQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        _query = query;
        _attributes = [.. query.Attributes];
        _latestStart = query.EndTimeUnixNano == 0 ? ulong.MaxValue : query.EndTimeUnixNano;
    }

    /// <summary>Earliest span start that can match (Unix ns); 0 when unbounded.</summary>
    public ulong EarliestStartUnixNano => _query.StartTimeUnixNano;

    /// <summary>Latest span start that can match (Unix ns); <see cref="ulong.MaxValue"/> when unbounded.</summary>
    public ulong LatestStartUnixNano => _latestStart;

    /// <summary>The service a matching span must come from, or null for any.</summary>
    public string? ServiceName => _query.ServiceName;

    public bool Matches(Span span)
    {
        ArgumentNullException.ThrowIfNull(span);
        var q = _query;
        var start = span.StartTimeUnixNano;
        if (start < q.StartTimeUnixNano || start > _latestStart) return false;
        if (q.ServiceName is not null && !string.Equals(span.ServiceName, q.ServiceName, StringComparison.Ordinal)) return false;
        if (q.SpanName is not null && !string.Equals(span.Name, q.SpanName, StringComparison.Ordinal)) return false;
        if (q.Kind is { } kind && span.Kind != kind) return false;
        if (q.Status is { } status && span.Status.Code != status) return false;

        var duration = span.DurationNanos;
        if (q.MinDurationNanos is { } min && duration < min) return false;
        if (q.MaxDurationNanos is { } max && duration > max) return false;

        foreach (var (key, text) in _attributes)
        {
            if (!span.TryGetAttribute(key, out var value) || !HasText(value, text)) return false;
        }
        return true;
    }

    // Strings are compared in place; only other types pay for formatting.
    private static bool HasText(AttributeValue value, string text) =>
        value.Type == AttributeType.String
            ? string.Equals(value.AsString(), text, StringComparison.Ordinal)
            : string.Equals(value.ToString(), text, StringComparison.Ordinal);
}
