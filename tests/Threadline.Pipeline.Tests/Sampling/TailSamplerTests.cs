using Threadline.Core.Model;
using Threadline.Pipeline.Sampling.Config;
using Threadline.Pipeline.Sampling.Deciding;
using Threadline.Pipeline.Sampling.Policies;
using Threadline.Pipeline.Sampling.Policies.Throughput;
using Threadline.Pipeline.Stages;
using Threadline.Storage;
using Threadline.Storage.Aggregates;
using Threadline.Storage.Memory;

namespace Threadline.Pipeline.Tests.Sampling;

public sealed class TailSamplerTests : IAsyncDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly Traces _traces = new();
    private readonly ManualClock _clock = new();
    private readonly RecordingStage _stored = new();
    private readonly MemoryTraceStore _aggregates = new();
    private readonly RecordedMetrics _metrics = new();
    private TailSampler? _sampler;

    public async ValueTask DisposeAsync()
    {
        if (_sampler is not null) await _sampler.DisposeAsync();
        _metrics.Dispose();
    }

    private TailSampler Sampler(TailSamplingSettings? settings = null, params ISamplingPolicy[] policies)
    {
        _sampler = new TailSampler(settings ?? new TailSamplingSettings(), policies.Length == 0 ? [new AlwaysSamplePolicy("all")] : policies,
            _stored, _aggregates, new DroppedSpans(_metrics.Meter), _metrics.Meter, _clock, decideInBackground: false);
        return _sampler;
    }

    private static IReadOnlyList<Span> Children(Span[] trace) => trace[1..];

    [Fact]
    public async Task A_trace_is_decided_the_settle_delay_after_its_root_arrives()
    {
        var sampler = Sampler(new TailSamplingSettings { SettleDelay = TimeSpan.FromSeconds(2) });
        var trace = _traces.Trace(children: 2);

        await sampler.ConsumeAsync(Children(trace), None);
        _clock.Advance(TimeSpan.FromSeconds(5));
        await sampler.ConsumeAsync([trace[0]], None);
        _clock.Advance(TimeSpan.FromMilliseconds(1_999));
        await sampler.DecideDueAsync(None);
        Assert.Empty(_stored.Spans);
        Assert.Equal(1, sampler.HeldTraces);

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        await sampler.DecideDueAsync(None);

        Assert.Equal(3, _stored.Spans.Count);
        Assert.Equal(0, sampler.HeldTraces);
        Assert.Equal(0, sampler.HeldBytes);
        Assert.Equal(1, _metrics.Sum("threadline_sampling_traces", "reason", SamplingMetrics.RootSettled));
    }

    [Fact]
    public async Task A_trace_whose_root_never_arrives_is_decided_at_the_decision_wait()
    {
        var sampler = Sampler(new TailSamplingSettings { DecisionWait = TimeSpan.FromSeconds(30) });
        var trace = _traces.Trace(children: 2);

        await sampler.ConsumeAsync(Children(trace), None);
        _clock.Advance(TimeSpan.FromSeconds(29));
        await sampler.DecideDueAsync(None);
        Assert.Empty(_stored.Spans);

        _clock.Advance(TimeSpan.FromSeconds(1));
        await sampler.DecideDueAsync(None);

        Assert.Equal(2, _stored.Spans.Count);
        Assert.Equal(1, _metrics.Sum("threadline_sampling_traces", "reason", SamplingMetrics.DecisionWait));
    }

    [Fact]
    public async Task A_trace_reaching_the_span_cap_is_decided_within_the_batch_that_reached_it()
    {
        var sampler = Sampler(new TailSamplingSettings { MaxSpansPerTrace = 3 });
        var trace = _traces.Trace(children: 4);

        await sampler.ConsumeAsync(trace[..2], None);
        Assert.Empty(_stored.Spans);
        await sampler.ConsumeAsync(trace[2..], None);

        // The third span reached the cap; the two after it in the same batch follow the decision.
        Assert.Equal(5, _stored.Spans.Count);
        Assert.Equal(1, _metrics.Sum("threadline_sampling_traces", "reason", SamplingMetrics.SpanCap));
        Assert.Equal(2, _metrics.Sum("threadline_sampling_late_spans"));
    }

    [Fact]
    public async Task A_trace_reaching_the_byte_cap_is_decided_early()
    {
        var sampler = Sampler(new TailSamplingSettings { MaxBytesPerTrace = 200 });
        var trace = _traces.Trace(children: 5);

        await sampler.ConsumeAsync(trace, None);

        Assert.Equal(6, _stored.Spans.Count);
        Assert.Equal(1, _metrics.Sum("threadline_sampling_traces", "reason", SamplingMetrics.TraceByteCap));
    }

    [Fact]
    public async Task Late_spans_follow_the_cached_decision_and_carry_its_adjusted_count()
    {
        var errors = new StatusCodePolicy("errors", new HashSet<StatusCode> { StatusCode.Error });
        var sampler = Sampler(new TailSamplingSettings(), errors);
        var kept = _traces.Trace(children: 1, rootStatus: StatusCode.Error);
        var dropped = _traces.Trace(children: 1);

        await sampler.ConsumeAsync([kept[0], dropped[0]], None);
        _clock.Advance(TimeSpan.FromSeconds(2));
        await sampler.DecideDueAsync(None);
        Assert.Single(_stored.Spans);

        // The children arrive after the decision: they are not held, they follow it at once.
        await sampler.ConsumeAsync([kept[1], dropped[1]], None);

        Assert.Equal(0, sampler.HeldTraces);
        Assert.Equal([kept[0].SpanId, kept[1].SpanId], _stored.Spans.Select(s => s.SpanId));
        Assert.All(_stored.Spans, s => Assert.Contains(new KeyValue(KeptSpan.AdjustedCountKey, 1.0), s.Attributes));
        Assert.All(_stored.Spans, s => Assert.Contains(new KeyValue(KeptSpan.PolicyKey, "errors"), s.Attributes));
        Assert.Equal(1, _metrics.Sum("threadline_sampling_late_spans", "decision", "kept"));
        Assert.Equal(1, _metrics.Sum("threadline_sampling_late_spans", "decision", "dropped"));
        Assert.Equal(2, _metrics.Sum("threadline_spans_dropped", "reason", DroppedSpans.TailSampling));
        // The dropped trace is still counted in span metrics.
        var metrics = await _aggregates.GetSpanMetricsAsync(new AggregateQuery { StartTimeUnixNano = 0, EndTimeUnixNano = ulong.MaxValue / 2 }, None);
        Assert.Equal(2, metrics.Sum(m => m.Total.Count));
    }

    [Fact]
    public async Task A_late_span_whose_decision_was_pushed_out_of_the_cache_is_counted_as_a_miss()
    {
        var sampler = Sampler(new TailSamplingSettings { SampledCacheSize = 1, NotSampledCacheSize = 1 });
        var first = _traces.Trace(children: 1);
        var second = _traces.Trace(children: 1);

        await sampler.ConsumeAsync([first[0], second[0]], None);
        _clock.Advance(TimeSpan.FromSeconds(2));
        await sampler.DecideDueAsync(None);
        await sampler.ConsumeAsync([first[1]], None);

        Assert.Equal(1, _metrics.Sum("threadline_sampling_decision_cache_misses"));
        // The span starts a new decision instead of being lost.
        Assert.Equal(1, sampler.HeldTraces);
    }

    [Fact]
    public async Task Under_a_flood_of_never_ending_traces_the_bytes_held_stay_under_the_cap_and_the_oldest_are_decided_first()
    {
        const long cap = 64 * 1024;
        var sampler = Sampler(new TailSamplingSettings { MaxHeldBytes = cap });
        var firstTraces = new List<TraceId>();

        // Rootless traces whose spans keep coming and whose decision wait never passes.
        var open = Enumerable.Range(0, 200).Select(_ => _traces.NewTraceId()).ToArray();
        for (var round = 0; round < 50; round++)
        {
            var batch = open.Select(id => _traces.Span(id, startMs: round)).ToArray();
            if (round == 0) firstTraces.AddRange(open.Take(10));
            await sampler.ConsumeAsync(batch, None);
            Assert.InRange(sampler.HeldBytes, 1, cap);
            _clock.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.InRange(sampler.PeakHeldBytes, 1, cap);
        var evicted = _metrics.Sum("threadline_sampling_traces", "reason", SamplingMetrics.MemoryCap);
        Assert.True(evicted > 0);
        // Decided, not dropped undecided: every span either held, stored or counted as late.
        Assert.Equal(200 * 50, _stored.Spans.Count + _metrics.Sum("threadline_sampling_spans", "decision", "dropped") + sampler.HeldSpans);
        // The oldest traces went first.
        var storedFirst = _stored.Batches[0].Select(s => s.TraceId).Distinct().ToList();
        Assert.Equal(firstTraces[0], storedFirst[0]);
    }

    [Fact]
    public async Task A_trace_count_cap_decides_the_oldest_trace_early()
    {
        var sampler = Sampler(new TailSamplingSettings { MaxTraces = 2 });
        var traces = Enumerable.Range(0, 3).Select(_ => _traces.Trace(children: 0)).ToArray();

        foreach (var trace in traces) await sampler.ConsumeAsync(trace, None);

        Assert.Equal(traces[0][0].SpanId, Assert.Single(_stored.Spans).SpanId);
        Assert.Equal(1, _metrics.Sum("threadline_sampling_traces", "reason", SamplingMetrics.TraceCountCap));
    }

    [Fact]
    public async Task Disposing_decides_what_is_still_held()
    {
        var sampler = Sampler();
        await sampler.ConsumeAsync(_traces.Trace(children: 2), None);

        await sampler.DisposeAsync();

        Assert.Equal(3, _stored.Spans.Count);
        Assert.Equal(1, _metrics.Sum("threadline_sampling_traces", "reason", SamplingMetrics.Shutdown));
    }

    [Fact]
    public async Task Red_stays_unbiased_when_ten_percent_of_traces_are_kept()
    {
        // A known population: 200,000 single-span traces over 100 s, 10 % errors, durations 1..100 ms.
        const int population = 200_000;
        const double seconds = 100;
        var store = new MemoryTraceStore(new MemoryStoreOptions { MaxSpans = population });
        var kept = new RecordingStage();
        _sampler = new TailSampler(new TailSamplingSettings(), [new ProbabilisticPolicy("ten percent", 10, null)],
            new TeeStage(kept, new StoreWriter(store)), store, new DroppedSpans(null), null, _clock, decideInBackground: false);
        long errors = 0;
        double durationSum = 0;
        var batch = new List<Span>();
        for (var i = 0; i < population; i++)
        {
            var failed = i % 10 == 0;
            var duration = 1 + i % 100;
            batch.Add(_traces.Span(_traces.NewTraceId(), root: true, startMs: i * seconds * 1000 / population, durationMs: duration, status: failed ? StatusCode.Error : StatusCode.Ok));
            errors += failed ? 1 : 0;
            durationSum += duration;
            if (batch.Count == 5_000)
            {
                await _sampler.ConsumeAsync(batch.ToArray(), None);
                batch.Clear();
            }
        }
        _clock.Advance(TimeSpan.FromSeconds(2));
        await _sampler.DecideDueAsync(None);

        // Stored: about a tenth. Weighted by their adjusted count, the kept spans give the population's RED.
        var stored = kept.Spans;
        Assert.InRange(stored.Count, population / 10 * 0.95, population / 10 * 1.05);
        static double Weight(Span s) => s.Attributes.Single(a => a.Key == KeptSpan.AdjustedCountKey).Value.AsDouble();
        var requestRate = stored.Sum(Weight) / seconds;
        var errorRate = stored.Where(s => s.Status.Code == StatusCode.Error).Sum(Weight) / seconds;
        var meanMs = stored.Sum(s => Weight(s) * s.DurationNanos / 1e6) / stored.Sum(Weight);
        Assert.InRange(requestRate / (population / seconds), 0.98, 1.02);
        Assert.InRange(errorRate / requestRate - (double)errors / population, -0.02, 0.02);
        Assert.InRange(meanMs / (durationSum / population), 0.98, 1.02);

        // Span metrics, counted before the decision, are exact.
        var metrics = await store.GetSpanMetricsAsync(new AggregateQuery { StartTimeUnixNano = 0, EndTimeUnixNano = ulong.MaxValue / 2 }, None);
        Assert.Equal(population, metrics.Sum(m => m.Total.Count));
        Assert.Equal(errors, metrics.Sum(m => m.Total.ErrorCount));
    }

    /// <summary>Hands each batch to two stages: one to look at, one to store.</summary>
    private sealed class TeeStage(IBatchConsumer first, IBatchConsumer second) : IBatchConsumer
    {
        public async ValueTask ConsumeAsync(IReadOnlyList<Span> batch, CancellationToken cancellationToken)
        {
            await first.ConsumeAsync(batch, cancellationToken);
            await second.ConsumeAsync(batch, cancellationToken);
        }
    }
}
