using System.Diagnostics.Metrics;

namespace Threadline.Pipeline.Sampling.Deciding;

/// <summary>The sampler's <c>threadline_sampling_*</c> counters. Counts nothing when made without a meter.</summary>
internal sealed class SamplingMetrics
{
    /// <summary>Why a trace was decided when it was.</summary>
    public const string RootSettled = "root_settled";
    public const string DecisionWait = "decision_wait";
    public const string SpanCap = "span_cap";
    public const string TraceByteCap = "trace_byte_cap";
    public const string MemoryCap = "memory_cap";
    public const string TraceCountCap = "trace_count_cap";
    public const string Shutdown = "shutdown";

    private readonly Counter<long>? _traces;
    private readonly Counter<long>? _spans;
    private readonly Counter<long>? _lateSpans;
    private readonly Counter<long>? _cacheMisses;
    private readonly Counter<long>? _emitFailures;

    public SamplingMetrics(Meter? meter, Func<long> heldBytes, Func<long> peakHeldBytes, Func<long> heldTraces, Func<long> heldSpans, Func<long> cachedDecisions)
    {
        if (meter is null) return;
        _traces = meter.CreateCounter<long>("threadline_sampling_traces", "{trace}", "Traces decided by the tail sampler, by decision (kept, dropped), why then (root_settled, decision_wait, span_cap, trace_byte_cap, memory_cap, trace_count_cap, shutdown) and the deciding policy.");
        _spans = meter.CreateCounter<long>("threadline_sampling_spans", "{span}", "Spans leaving the tail sampler, by decision (kept: stored; dropped: counted in span metrics only).");
        _lateSpans = meter.CreateCounter<long>("threadline_sampling_late_spans", "{span}", "Spans arriving after their trace was decided that followed the cached decision, by decision.");
        _cacheMisses = meter.CreateCounter<long>("threadline_sampling_decision_cache_misses", "{span}", "Spans arriving after their trace's decision was pushed out of the decision cache; they start a new decision.");
        _emitFailures = meter.CreateCounter<long>("threadline_sampling_emit_failures", "{span}", "Spans of decided traces the store refused after they were acknowledged (kept spans lost, or dropped spans not counted in span metrics).");
        meter.CreateObservableGauge("threadline_sampling_held_bytes", heldBytes, "By", "Bytes of undecided spans the tail sampler holds (Threadline's size estimate).");
        meter.CreateObservableGauge("threadline_sampling_peak_held_bytes", peakHeldBytes, "By", "The most bytes the tail sampler has held at once since start.");
        meter.CreateObservableGauge("threadline_sampling_held_traces", heldTraces, "{trace}", "Undecided traces the tail sampler holds.");
        meter.CreateObservableGauge("threadline_sampling_held_spans", heldSpans, "{span}", "Undecided spans the tail sampler holds.");
        meter.CreateObservableGauge("threadline_sampling_cached_decisions", cachedDecisions, "{trace}", "Decisions remembered for late spans.");
    }

    public void Decided(bool keep, string reason, string policy, int spans)
    {
        _traces?.Add(1, new("decision", keep ? "kept" : "dropped"), new("reason", reason), new("policy", policy));
        _spans?.Add(spans, new KeyValuePair<string, object?>("decision", keep ? "kept" : "dropped"));
    }

    public void Late(bool keep, int spans)
    {
        if (spans == 0) return;
        _lateSpans?.Add(spans, new KeyValuePair<string, object?>("decision", keep ? "kept" : "dropped"));
        _spans?.Add(spans, new KeyValuePair<string, object?>("decision", keep ? "kept" : "dropped"));
    }

    public void CacheMiss() => _cacheMisses?.Add(1);

    public void EmitFailed(int spans) => _emitFailures?.Add(spans);
}
