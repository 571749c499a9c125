namespace Threadline.Storage.Aggregates;

/// <summary>
/// A read of the ingest-time aggregates: the whole minutes starting in
/// [<see cref="StartTimeUnixNano"/>, <see cref="EndTimeUnixNano"/>), merged per key.
/// </summary>
public sealed record AggregateQuery
{
    /// <summary>Most steps a series may have; a finer step over a long range is refused.</summary>
    public const int MaxSteps = 11_000;

    /// <summary>Minutes starting at or after this are included (Unix ns).</summary>
    public required ulong StartTimeUnixNano { get; init; }

    /// <summary>Minutes starting before this are included (Unix ns).</summary>
    public required ulong EndTimeUnixNano { get; init; }

    /// <summary>Only this service's series (span metrics) or edges touching it (service graph); null for all.</summary>
    public string? ServiceName { get; init; }

    /// <summary>
    /// When above zero, each result also carries one point per step of this many whole minutes,
    /// the first starting at <see cref="FirstMinute"/>.
    /// </summary>
    public int StepMinutes { get; init; }

    public TenantId Tenant { get; init; }

    /// <exception cref="ArgumentException">The range is empty or reversed, the step negative, or there would be too many steps.</exception>
    public void Validate()
    {
        if (EndTimeUnixNano <= StartTimeUnixNano)
            throw new ArgumentException($"Aggregate query end ({EndTimeUnixNano}) must be after its start ({StartTimeUnixNano}).", nameof(EndTimeUnixNano));
        if (StepMinutes < 0)
            throw new ArgumentException($"Aggregate query step must be zero (no series) or a positive number of minutes, got {StepMinutes}.", nameof(StepMinutes));
        if (StepMinutes > 0 && StepCount > MaxSteps)
            throw new ArgumentException($"Aggregate query would have {StepCount} steps of {StepMinutes} min; at most {MaxSteps}. Use a longer step.", nameof(StepMinutes));
    }

    /// <summary>The first minute included (minutes since the Unix epoch).</summary>
    public long FirstMinute => CeilingMinute(StartTimeUnixNano);

    /// <summary>One past the last minute included.</summary>
    public long EndMinute => CeilingMinute(EndTimeUnixNano);

    /// <summary>Steps of a series; 0 without a step.</summary>
    public long StepCount => StepMinutes <= 0 ? 0 : Math.Max(0, (EndMinute - StepOrigin + StepMinutes - 1) / StepMinutes);

    /// <summary>Where the first step starts (minutes since the epoch).</summary>
    public long StepOrigin => FirstMinute;

    public bool Includes(long minute) => minute >= FirstMinute && minute < EndMinute;

    // Division first: adding before dividing would overflow for an end of ulong.MaxValue ("no end").
    private static long CeilingMinute(ulong unixNano) =>
        (long)(unixNano / MinuteClock.NanosPerMinute) + (unixNano % MinuteClock.NanosPerMinute == 0 ? 0 : 1);
}

/// <summary>Minutes since the Unix epoch, the resolution of the aggregates.</summary>
public static class MinuteClock
{
    public const ulong NanosPerMinute = 60_000_000_000;

    public static long MinuteOf(ulong unixNano) => (long)(unixNano / NanosPerMinute);

    public static ulong StartOf(long minute) => (ulong)minute * NanosPerMinute;
}
