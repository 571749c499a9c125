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

    public SpanTally ToSpanTally() => new(Count, ErrorCount, Durations.Clone());
}
