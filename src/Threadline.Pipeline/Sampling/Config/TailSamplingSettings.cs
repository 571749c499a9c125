namespace Threadline.Pipeline.Sampling.Config;

/// <summary>
/// How the tail sampler holds and times traces: the Collector's keys (<c>decision_wait</c>,
/// <c>num_traces</c>, <c>decision_cache</c>, <c>sample_on_first_match</c>,
/// <c>drop_pending_traces_on_shutdown</c>) and Threadline's own beside them. Defaults here are
/// the only copy; the policy file overrides them.
/// </summary>
public sealed record TailSamplingSettings
{
    /// <summary>The default for <see cref="MaxHeldBytes"/>: 512 MiB.</summary>
    public const long DefaultMaxHeldBytes = 512L << 20;

    /// <summary><c>decision_wait</c>: the longest a trace is held after its first span when its root never arrives.</summary>
    public TimeSpan DecisionWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>settle_delay</c> (Threadline): the wait after the root span arrives, for its children still in flight.</summary>
    public TimeSpan SettleDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary><c>max_held_bytes</c> (Threadline): bytes of undecided spans held at most; at the cap the oldest trace is decided now.</summary>
    public long MaxHeldBytes { get; init; } = DefaultMaxHeldBytes;

    /// <summary><c>num_traces</c>: undecided traces held at most (the oldest is decided at the cap); null for no count cap, only the byte cap.</summary>
    public int? MaxTraces { get; init; }

    /// <summary><c>max_spans_per_trace</c> (Threadline): a trace reaching this many spans is decided at once.</summary>
    public int MaxSpansPerTrace { get; init; } = 10_000;

    /// <summary><c>max_bytes_per_trace</c> (Threadline): a trace reaching this many bytes is decided at once.</summary>
    public long MaxBytesPerTrace { get; init; } = 16L << 20;

    /// <summary><c>decision_cache.sampled_cache_size</c>: kept decisions remembered for late spans.</summary>
    public int SampledCacheSize { get; init; } = 100_000;

    /// <summary><c>decision_cache.non_sampled_cache_size</c>: dropped decisions remembered for late spans.</summary>
    public int NotSampledCacheSize { get; init; } = 100_000;

    /// <summary><c>sample_on_first_match</c>: stop at the first policy that keeps the trace.</summary>
    public bool SampleOnFirstMatch { get; init; }

    /// <summary><c>drop_pending_traces_on_shutdown</c>: at shutdown, drop (count) held traces instead of deciding them on what arrived.</summary>
    public bool DropPendingTracesOnShutdown { get; init; }
}
