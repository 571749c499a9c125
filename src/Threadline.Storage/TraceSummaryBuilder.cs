using Threadline.Core.Model;

namespace Threadline.Storage;

/// <summary>
/// Builds a <see cref="TraceSummary"/> one span at a time, so that an engine can keep a trace's
/// summary current as its spans arrive instead of re-reading them for every search.
/// Not thread-safe: the owner serialises <see cref="Add"/> and <see cref="ToSummary"/>.
/// </summary>
public sealed class TraceSummaryBuilder
{
    private Span? _root;
    private ServiceTally[] _services = new ServiceTally[2];
    private int _serviceCount;

    public TraceSummaryBuilder(TraceId traceId) => TraceId = traceId;

    public TraceId TraceId { get; }

    /// <summary>Spans added so far.</summary>
    public int SpanCount { get; private set; }

    /// <summary>Spans added so far whose status is <see cref="StatusCode.Error"/>.</summary>
    public int ErrorCount { get; private set; }

    /// <summary>Earliest span start seen (Unix ns); 0 before the first span.</summary>
    public ulong StartTimeUnixNano { get; private set; }

    /// <summary>Latest span end seen (Unix ns); 0 before the first span.</summary>
    public ulong EndTimeUnixNano { get; private set; }

    /// <summary>Latest span start seen (Unix ns): with <see cref="StartTimeUnixNano"/>, bounds a time-range search.</summary>
    public ulong LatestSpanStartUnixNano { get; private set; }

    /// <summary>Takes a span of the trace into account; spans may come in any order.</summary>
    /// <exception cref="ArgumentException">The span belongs to another trace.</exception>
    public void Add(Span span)
    {
        ArgumentNullException.ThrowIfNull(span);
        if (span.TraceId != TraceId)
            throw new ArgumentException($"Span {span.SpanId} belongs to trace {span.TraceId}, not {TraceId}.", nameof(span));
        var start = span.StartTimeUnixNano;
        if (SpanCount == 0)
        {
            StartTimeUnixNano = start;
            EndTimeUnixNano = span.EndTimeUnixNano;
            LatestSpanStartUnixNano = start;
        }
        else
        {
            if (start < StartTimeUnixNano) StartTimeUnixNano = start;
            if (span.EndTimeUnixNano > EndTimeUnixNano) EndTimeUnixNano = span.EndTimeUnixNano;
            if (start > LatestSpanStartUnixNano) LatestSpanStartUnixNano = start;
        }

        SpanCount++;
        var isError = span.Status.Code == StatusCode.Error;
        if (isError) ErrorCount++;
        if (IsBetterRoot(span, _root)) _root = span;
        Tally(span.ServiceName, isError);
    }

    /// <summary>Whether some span of the trace came from this service.</summary>
    public bool HasService(string serviceName)
    {
        for (var i = 0; i < _serviceCount; i++)
        {
            if (string.Equals(_services[i].ServiceName, serviceName, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    /// <summary>The summary of the spans added so far.</summary>
    /// <exception cref="InvalidOperationException">No span was added: a trace has at least one.</exception>
    public TraceSummary ToSummary()
    {
        if (_root is null)
            throw new InvalidOperationException($"Trace {TraceId} has no spans to summarise.");

        var services = new ServiceSpanCount[_serviceCount];
        for (var i = 0; i < _serviceCount; i++)
        {
            var tally = _services[i];
            services[i] = new ServiceSpanCount(tally.ServiceName, tally.SpanCount, tally.ErrorCount);
        }
        Array.Sort(services, static (a, b) => string.CompareOrdinal(a.ServiceName, b.ServiceName));

        return new TraceSummary
        {
            TraceId = TraceId,
            RootServiceName = _root.ServiceName,
            RootSpanName = _root.Name,
            StartTimeUnixNano = StartTimeUnixNano,
            DurationNanos = EndTimeUnixNano > StartTimeUnixNano ? EndTimeUnixNano - StartTimeUnixNano : 0,
            SpanCount = SpanCount,
            ErrorCount = ErrorCount,
            Services = services,
        };
    }

    // A real root beats any child; among equals the earliest start wins, and on a tie the first
    // to arrive stays, so the answer does not depend on how a batch was split.
    private static bool IsBetterRoot(Span candidate, Span? current)
    {
        if (current is null) return true;
        if (candidate.IsRoot != current.IsRoot) return candidate.IsRoot;
        return candidate.StartTimeUnixNano < current.StartTimeUnixNano;
    }

    private void Tally(string serviceName, bool isError)
    {
        // Traces touch a handful of services, so a linear scan beats hashing; spans of one
        // batch share the Resource and therefore the same string instance, hence the
        // reference check first.
        for (var i = 0; i < _serviceCount; i++)
        {
            ref var tally = ref _services[i];
            if (ReferenceEquals(tally.ServiceName, serviceName) || string.Equals(tally.ServiceName, serviceName, StringComparison.Ordinal))
            {
                tally.SpanCount++;
                if (isError) tally.ErrorCount++;
                return;
            }
        }

        if (_serviceCount == _services.Length) Array.Resize(ref _services, _services.Length * 2);
        _services[_serviceCount++] = new ServiceTally { ServiceName = serviceName, SpanCount = 1, ErrorCount = isError ? 1 : 0 };
    }

    private struct ServiceTally
    {
        public string ServiceName;
        public int SpanCount;
        public int ErrorCount;
    }
}
