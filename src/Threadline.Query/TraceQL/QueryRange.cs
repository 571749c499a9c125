namespace Threadline.Query.TraceQL;

/// <summary>A query's time range resolved against now and checked against its bound.</summary>
internal static class QueryRange
{
    /// <summary>
    /// [start, end) in Unix ns: an end of 0 is now, a start of 0 is <paramref name="defaultRange"/>
    /// before the end.
    /// </summary>
    /// <exception cref="TraceQLQueryException">The range ends before it starts, or is wider than <paramref name="maxRange"/>; the message names the option.</exception>
    public static (ulong Start, ulong End) Resolve(ulong start, ulong end, TimeProvider time, TimeSpan defaultRange, TimeSpan maxRange, string maxRangeOption)
    {
        if (end == 0) end = (ulong)time.GetUtcNow().ToUnixTimeMilliseconds() * 1_000_000UL;
        if (start == 0) start = end > Nanos(defaultRange) ? end - Nanos(defaultRange) : 0;
        if (end <= start)
            throw new TraceQLQueryException($"The time range is empty: end ({end}) must be after start ({start}), both in Unix nanoseconds.");
        if (end - start > Nanos(maxRange))
            throw new TraceQLQueryException(
                $"The time range of {Describe(end - start)} is wider than {Describe(Nanos(maxRange))} (TraceQLOptions.{maxRangeOption}); narrow start and end.");
        return (start, end);
    }

    private static ulong Nanos(TimeSpan span) => (ulong)span.Ticks * 100UL;

    private static string Describe(ulong nanos)
    {
        var span = TimeSpan.FromTicks((long)Math.Min(nanos / 100UL, (ulong)TimeSpan.MaxValue.Ticks));
        return span.TotalDays >= 1 ? $"{span.TotalDays:0.##} days" : span.TotalHours >= 1 ? $"{span.TotalHours:0.##} hours" : $"{span.TotalMinutes:0.##} minutes";
    }
}
