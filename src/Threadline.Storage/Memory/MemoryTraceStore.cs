using System.Diagnostics.Metrics;
using Threadline.Core.Model;
using Threadline.Storage.Aggregates;

namespace Threadline.Storage.Memory;

/// <summary>
/// Keeps spans in memory, up to a span budget (<see cref="MemoryStoreOptions.MaxSpans"/>);
/// beyond it whole traces are evicted, oldest first by first arrival, and counted in
/// <see cref="Statistics"/>. For development, demos and tests: nothing survives a restart.
/// </summary>
/// <remarks>
/// <para>
/// One lock guards everything. An append takes it once per batch, not per span, and does a
/// bounded amount of work per span under it. Reads hold it just long enough to snapshot, then
/// filter, copy and sort outside it, so a search over a full store does not stall ingestion.
/// </para>
/// <para>
/// The catalogs (services, operations, tag keys and values) list what has been seen since
/// start, within the bounds of <see cref="MemoryStoreOptions"/>; evicting a trace does not
/// remove its names from them.
/// </para>
/// <para>
/// Span metrics and service-graph edges are computed here, in the append, rather than in a
/// pipeline stage: the contract says they are kept at ingest and stored by the engine, so every
/// path that stores spans (receivers, an import, a forwarder) counts them exactly once, and a
/// durable engine can log them with the spans they came from. The pending map that pairs a
/// client with its server child across batches is engine state for the same reason.
/// </para>
/// </remarks>
public sealed partial class MemoryTraceStore : ITraceStore, IStoreMetrics
{
    private readonly Lock _lock = new();
    private readonly Dictionary<TraceId, StoredTrace> _traces = [];

    // First-arrival order; eviction pops from the front. Traces leave only by eviction, so the
    // queue and the dictionary always hold the same traces.
    private readonly Queue<StoredTrace> _arrivals = new();
    private readonly ServiceCatalog _services;
    private readonly TagCatalog _tags;
    private readonly int _maxSpans;
    private long _spanCount;
    private long _evictedTraces;
    private long _evictedSpans;

    // Null when the options turn aggregates off.
    private readonly IngestAggregates? _aggregates;
    private readonly int _maxTagValueLength;

    /// <summary>A store with the default bounds (a million spans).</summary>
    public MemoryTraceStore()
        : this(new MemoryStoreOptions())
    {
    }

    /// <param name="options">The engine's bounds.</param>
    /// <param name="time">The clock that limits how long a service-graph pair waits; the system clock when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public MemoryTraceStore(MemoryStoreOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _maxSpans = options.MaxSpans;
        _services = new ServiceCatalog(options.MaxServices, options.MaxOperationsPerService);
        _tags = new TagCatalog(options.MaxTagKeys, options.MaxTagValuesPerKey, options.MaxTagValueLength);
        _maxTagValueLength = options.MaxTagValueLength;
        if (options.KeepAggregates)
        {
            _aggregates = new IngestAggregates(
                new AggregateLimits(options.MaxAggregateEntries, options.MaxAggregateKeysPerMinute, options.MaxPendingPairs,
                    TimeSpan.FromSeconds(options.PairingWaitSeconds)),
                time);
        }
    }

    /// <summary>What the store holds now and what it has evicted, for self-metrics.</summary>
    public MemoryStoreStatistics Statistics
    {
        get
        {
            lock (_lock)
            {
                return new MemoryStoreStatistics(_traces.Count, _spanCount, _evictedTraces, _evictedSpans);
            }
        }
    }

    /// <summary>What the ingest-time aggregates hold and have given up; all zero when they are off.</summary>
    public AggregateStatistics AggregateStatistics
    {
        get
        {
            lock (_lock)
            {
                return _aggregates?.Statistics ?? default;
            }
        }
    }

    /// <inheritdoc />
    public void PublishInstruments(Meter meter)
    {
        ArgumentNullException.ThrowIfNull(meter);
        meter.CreateObservableGauge("threadline_store_traces", () => Statistics.Traces, "{trace}", "Traces the memory store holds.");
        meter.CreateObservableGauge("threadline_store_resident_spans", () => Statistics.Spans, "{span}", "Spans the memory store holds.");
        meter.CreateObservableGauge("threadline_store_capacity_spans", () => (long)_maxSpans, "{span}",
            "The memory store's span budget (Threadline:Storage:Memory:MaxSpans); past it the oldest traces are evicted.");
        meter.CreateObservableCounter("threadline_store_evicted_traces", () => Statistics.EvictedTraces, "{trace}", "Traces the memory store evicted to stay within its span budget.");
        meter.CreateObservableCounter("threadline_store_evicted_spans", () => Statistics.EvictedSpans, "{span}", "Spans of the traces the memory store evicted.");
        if (_aggregates is null) return;
        meter.CreateObservableGauge("threadline_store_aggregate_entries", () => AggregateStatistics.Entries, "{entry}", "Span-metrics and service-graph (minute, key) entries the memory store holds.");
        meter.CreateObservableCounter("threadline_store_aggregate_capped_spans", () => AggregateStatistics.CappedSpans, "{span}", "Spans left out of span metrics because their minute had the most keys allowed.");
        meter.CreateObservableCounter("threadline_store_aggregate_evicted_minutes", () => AggregateStatistics.EvictedMinutes, "{minute}", "Minutes of span metrics and edges dropped, oldest first, to stay within MaxAggregateEntries.");
        meter.CreateObservableCounter("threadline_store_service_graph_unpaired_spans", () => AggregateStatistics.ExpiredUnpairedSpans, "{span}", "Client, server, producer and consumer spans whose partner did not arrive within the pairing wait.");
    }

    public ValueTask AppendAsync(IReadOnlyList<Span> spans, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spans);
        cancellationToken.ThrowIfCancellationRequested();
        var count = spans.Count;
        if (count == 0) return ValueTask.CompletedTask;

        // Checked before anything changes, so a bad batch is refused whole rather than half stored.
        for (var i = 0; i < count; i++)
        {
            if (spans[i] is null) throw new ArgumentException($"Span {i} of the batch is null.", nameof(spans));
        }

        lock (_lock)
        {
            MakeRoomFor(count);
            _aggregates?.BeginBatch();

            // Receivers hand over spans grouped by resource and mostly by trace, so
            // remembering the previous span's trace and resource skips the dictionary lookup
            // and the resource's catalog work for each run of alike spans.
            StoredTrace? trace = null;
            Resource? resource = null;
            HashSet<Operation>? operations = null;
            for (var i = 0; i < count; i++)
            {
                var span = spans[i];
                if (trace is null || trace.TraceId != span.TraceId) trace = FindOrAdd(span.TraceId);
                trace.Add(span);

                if (!ReferenceEquals(span.Resource, resource))
                {
                    resource = span.Resource;
                    operations = _services.Observe(resource.ServiceName);
                    _tags.Observe(resource.Attributes);
                }
                _services.AddOperation(operations, span.Name, span.Kind);
                if (span.Attributes.Length != 0) _tags.Observe(span.Attributes);
                _aggregates?.Observe(span);
            }

            _spanCount += count;

            // Only a single batch larger than the whole budget gets here with work to do.
            while (_spanCount > _maxSpans) EvictOldest();
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask RecordAggregatesAsync(IReadOnlyList<Span> spans, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spans);
        cancellationToken.ThrowIfCancellationRequested();
        if (spans.Count == 0 || _aggregates is null) return ValueTask.CompletedTask;
        for (var i = 0; i < spans.Count; i++)
        {
            if (spans[i] is null) throw new ArgumentException($"Span {i} of the batch is null.", nameof(spans));
        }
        lock (_lock)
        {
            _aggregates.BeginBatch();
            for (var i = 0; i < spans.Count; i++) _aggregates.Observe(spans[i]);
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<Span>> GetTraceAsync(TraceId traceId, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        SpanSnapshot snapshot;
        lock (_lock)
        {
            if (!_traces.TryGetValue(traceId, out var trace)) return ValueTask.FromResult<IReadOnlyList<Span>>([]);
            snapshot = trace.Snapshot();
        }

        // OrderBy is stable: spans starting together keep their arrival order.
        IReadOnlyList<Span> ordered = snapshot.AsSegment().OrderBy(s => s.StartTimeUnixNano).ToArray();
        return ValueTask.FromResult(ordered);
    }

    public ValueTask<IReadOnlyList<TraceSummary>> SearchAsync(TraceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        var filter = new SpanFilter(query);

        var candidates = new List<Candidate>();
        lock (_lock)
        {
            foreach (var trace in _arrivals)
            {
                var summary = trace.Summary;
                if (summary.LatestSpanStartUnixNano < filter.EarliestStartUnixNano) continue;
                if (summary.StartTimeUnixNano > filter.LatestStartUnixNano) continue;
                if (filter.ServiceName is { } service && !summary.HasService(service)) continue;
                candidates.Add(new Candidate(trace, trace.Snapshot(), summary.StartTimeUnixNano));
            }
        }

        // Newest first, then scan: a typical search (a service, the latest 20) stops after
        // reading the spans of a few traces instead of all of them.
        candidates.Sort(NewestFirst);
        var limit = query.EffectiveLimit;
        var results = new List<TraceSummary>(Math.Min(limit, candidates.Count));
        foreach (var candidate in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!AnyMatches(filter, candidate.Snapshot.AsSpan())) continue;

            // Built from the snapshot, so the summary describes exactly the spans that were
            // searched even if more have arrived since.
            results.Add(TraceSummarizer.Summarize(candidate.Trace.TraceId, candidate.Snapshot.AsSegment()));
            if (results.Count == limit) break;
        }
        return ValueTask.FromResult<IReadOnlyList<TraceSummary>>(results);
    }

    public ValueTask<IReadOnlyList<string>> GetServicesAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string[] services;
        lock (_lock)
        {
            services = _services.Services();
        }
        Array.Sort(services, StringComparer.Ordinal);
        return ValueTask.FromResult<IReadOnlyList<string>>(services);
    }

    public ValueTask<IReadOnlyList<Operation>> GetOperationsAsync(string service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        cancellationToken.ThrowIfCancellationRequested();
        Operation[] operations;
        lock (_lock)
        {
            operations = _services.Operations(service);
        }
        Array.Sort(operations, static (a, b) =>
        {
            var byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName : a.Kind.CompareTo(b.Kind);
        });
        return ValueTask.FromResult<IReadOnlyList<Operation>>(operations);
    }

    public ValueTask<IReadOnlyList<string>> GetTagKeysAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        string[] keys;
        lock (_lock)
        {
            keys = _tags.Keys();
        }
        Array.Sort(keys, StringComparer.Ordinal);
        return ValueTask.FromResult<IReadOnlyList<string>>(keys);
    }

    public ValueTask<IReadOnlyList<string>> GetTagValuesAsync(string key, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        if (limit <= 0) return ValueTask.FromResult<IReadOnlyList<string>>([]);
        AttributeValue[] values;
        lock (_lock)
        {
            values = _tags.Values(key);
        }

        // Distinct again as text: the integer 1 and the string "1" are one value to a user.
        IReadOnlyList<string> texts = values
            .Select(v => v.ToString())
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Take(limit)
            .ToArray();
        return ValueTask.FromResult(texts);
    }

    private StoredTrace FindOrAdd(TraceId traceId)
    {
        if (!_traces.TryGetValue(traceId, out var trace))
        {
            trace = new StoredTrace(traceId);
            _traces.Add(traceId, trace);
            _arrivals.Enqueue(trace);
        }
        return trace;
    }

    // Evicting before the append rather than after means spans arriving for the oldest trace
    // are kept (as a trace that now counts as new) instead of being evicted on arrival.
    private void MakeRoomFor(int incoming)
    {
        while (_spanCount + incoming > _maxSpans && _arrivals.Count > 0) EvictOldest();
    }

    private void EvictOldest()
    {
        var oldest = _arrivals.Dequeue();
        _traces.Remove(oldest.TraceId);
        _spanCount -= oldest.Count;
        _evictedTraces++;
        _evictedSpans += oldest.Count;
    }

    private static bool AnyMatches(SpanFilter filter, ReadOnlySpan<Span> spans)
    {
        foreach (var span in spans)
        {
            if (filter.Matches(span)) return true;
        }
        return false;
    }

    private static int NewestFirst(Candidate a, Candidate b)
    {
        var byStart = b.StartTimeUnixNano.CompareTo(a.StartTimeUnixNano);
        return byStart != 0 ? byStart : a.Trace.TraceId.CompareTo(b.Trace.TraceId);
    }

    private readonly record struct Candidate(StoredTrace Trace, SpanSnapshot Snapshot, ulong StartTimeUnixNano);
}
