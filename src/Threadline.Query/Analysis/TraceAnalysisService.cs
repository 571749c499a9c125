using Threadline.Core.Analysis;
using Threadline.Core.Model;
using Threadline.Storage;

namespace Threadline.Query.Analysis;

/// <summary>
/// The per-trace analyses over the store contract: fetches a trace (and, for the typical trace,
/// recent traces of the same root operation) and runs the pure analyses of
/// <see cref="Threadline.Core.Analysis"/> on it. Every answer is null when the trace is unknown.
/// </summary>
public sealed class TraceAnalysisService
{
    /// <summary>Most traces a typical trace is built from.</summary>
    public const int MaxTypicalSamples = 50;

    /// <summary>The range searched for typical samples when none is given: the hour before the end.</summary>
    public static readonly TimeSpan DefaultTypicalRange = TimeSpan.FromHours(1);

    // The search matches traces with any span of the root's service and name, so it asks for more
    // than it needs and keeps those whose root is that operation.
    private const int SearchBreadth = MaxTypicalSamples * 4;

    private readonly ITraceStore _store;
    private readonly TimeProvider _time;

    public TraceAnalysisService(ITraceStore store, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _time = time;
    }

    /// <summary>The trace's tree with clock skew corrected, or null when the trace is unknown.</summary>
    public async ValueTask<AnalyzedTrace?> AnalyzeAsync(TraceId traceId, CancellationToken cancellationToken)
    {
        var spans = await _store.GetTraceAsync(traceId, cancellationToken).ConfigureAwait(false);
        if (spans.Count == 0) return null;
        var tree = TraceTree.Build(spans);
        return new AnalyzedTrace(traceId, tree, ClockSkew.Adjust(tree));
    }

    /// <summary>The critical path on skew-adjusted times.</summary>
    public async ValueTask<(AnalyzedTrace Trace, CriticalPathResult Path)?> GetCriticalPathAsync(TraceId traceId, CancellationToken cancellationToken)
    {
        var trace = await AnalyzeAsync(traceId, cancellationToken).ConfigureAwait(false);
        return trace is null ? null : (trace, CriticalPath.Compute(trace.Tree, trace.Skew));
    }

    /// <summary>The health findings (the skew adjustments are on <see cref="AnalyzedTrace.Skew"/>).</summary>
    public async ValueTask<(AnalyzedTrace Trace, IReadOnlyList<HealthFinding> Findings)?> GetHealthAsync(TraceId traceId, CancellationToken cancellationToken)
    {
        var trace = await AnalyzeAsync(traceId, cancellationToken).ConfigureAwait(false);
        return trace is null ? null : (trace, TraceHealth.Check(trace.Tree, trace.Skew));
    }

    /// <summary>The structural diff of two traces; names the trace that is missing otherwise.</summary>
    public async ValueTask<ComparisonOutcome> CompareAsync(TraceId left, TraceId right, CancellationToken cancellationToken)
    {
        var leftSpans = await _store.GetTraceAsync(left, cancellationToken).ConfigureAwait(false);
        if (leftSpans.Count == 0) return ComparisonOutcome.Missing(left);
        var rightSpans = await _store.GetTraceAsync(right, cancellationToken).ConfigureAwait(false);
        if (rightSpans.Count == 0) return ComparisonOutcome.Missing(right);
        return new ComparisonOutcome(TraceComparison.Compare(TraceTree.Build(leftSpans), TraceTree.Build(rightSpans)), null);
    }

    /// <summary>
    /// The trace against the typical trace of its root operation: up to <see cref="MaxTypicalSamples"/>
    /// other traces, newest first, whose root has the same service and name and which start in
    /// [<paramref name="startUnixNano"/>, <paramref name="endUnixNano"/>] (default: the hour up to now).
    /// </summary>
    public async ValueTask<ComparisonOutcome> CompareWithTypicalAsync(TraceId traceId, ulong? startUnixNano, ulong? endUnixNano, CancellationToken cancellationToken)
    {
        var spans = await _store.GetTraceAsync(traceId, cancellationToken).ConfigureAwait(false);
        if (spans.Count == 0) return ComparisonOutcome.Missing(traceId);
        var tree = TraceTree.Build(spans);
        var root = TraceOverview.Of(tree);

        var end = endUnixNano ?? (ulong)(_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
        var start = startUnixNano ?? (end > (ulong)DefaultTypicalRange.Ticks * 100 ? end - ((ulong)DefaultTypicalRange.Ticks * 100) : 0);
        if (start > end) throw new ArgumentOutOfRangeException(nameof(startUnixNano), "The time range ends before it starts.");

        var candidates = await _store.SearchAsync(new TraceQuery
        {
            ServiceName = root.RootService,
            SpanName = root.RootName,
            StartTimeUnixNano = start,
            EndTimeUnixNano = end,
            Limit = SearchBreadth,
        }, cancellationToken).ConfigureAwait(false);

        var samples = new List<TraceTree>(MaxTypicalSamples);
        foreach (var candidate in candidates)
        {
            if (samples.Count == MaxTypicalSamples) break;
            if (candidate.TraceId == traceId
                || !string.Equals(candidate.RootServiceName, root.RootService, StringComparison.Ordinal)
                || !string.Equals(candidate.RootSpanName, root.RootName, StringComparison.Ordinal)) continue;
            var sample = await _store.GetTraceAsync(candidate.TraceId, cancellationToken).ConfigureAwait(false);
            if (sample.Count > 0) samples.Add(TraceTree.Build(sample));
        }
        var result = TraceComparison.Compare(tree, TypicalTrace.Build(samples));
        // With no sample the typical trace still stands for the trace's root operation.
        if (samples.Count == 0) result = result with { Right = result.Right with { RootService = root.RootService, RootName = root.RootName } };
        return new ComparisonOutcome(result, null);
    }
}

/// <summary>A fetched trace, its tree and its clock-skew correction.</summary>
public sealed record AnalyzedTrace(TraceId TraceId, TraceTree Tree, ClockSkewResult Skew);

/// <summary>A comparison, or the id of the trace that was not found.</summary>
public sealed record ComparisonOutcome(TraceComparisonResult? Result, TraceId? MissingTraceId)
{
    public static ComparisonOutcome Missing(TraceId traceId) => new(null, traceId);
}
