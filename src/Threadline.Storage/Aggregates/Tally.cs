namespace Threadline.Storage.Aggregates;

/// <summary>A running <see cref="SpanTally"/>: mutable, owned by one aggregate entry or one merge.</summary>
internal sealed class Tally
{
    public long Count;
    public long ErrorCount;
    public readonly DurationSketch Durations = new();

    public void Add(ulong durationNanos, bool isError)
    {
        Count++;
        if (isError) ErrorCount++;
        Durations.Add(durationNanos);
    }

    public void Merge(Tally other)
    {
        Count += other.Count;
        ErrorCount += other.ErrorCount;
        Durations.Merge(other.Durations);
    }

    /// <summary>
    /// The tally as a result, handing over its sketch without a copy: only a tally merged for
    /// one read is turned into a result, and it is not touched afterwards. (Copying cost a
    /// sketch allocation per key and step, most of a TraceQL metrics query's time.)
    /// </summary>
    public SpanTally HandOver() => new(Count, ErrorCount, Durations);
}
