namespace Threadline.Storage.Memory;

/// <summary>A consistent snapshot of the memory engine's counters, for self-metrics.</summary>
/// <param name="Traces">Traces held now.</param>
/// <param name="Spans">Spans held now; never more than <see cref="MemoryStoreOptions.MaxSpans"/>.</param>
/// <param name="EvictedTraces">Traces evicted to stay within the span budget since start.</param>
/// <param name="EvictedSpans">Spans of those traces.</param>
public readonly record struct MemoryStoreStatistics(long Traces, long Spans, long EvictedTraces, long EvictedSpans);
