namespace Threadline.Pipeline;

/// <summary>Bounds of the <see cref="IngestQueue"/>.</summary>
public sealed record IngestQueueOptions
{
    /// <summary>
    /// Most spans waiting for the store, counting those being appended. A submission that
    /// would exceed it is refused (the receiver answers 429 / RESOURCE_EXHAUSTED), except that a
    /// single submission larger than the whole bound is admitted when nothing else is queued,
    /// so that it is not refused forever.
    /// </summary>
    public int MaxQueuedSpans { get; init; } = 200_000;

    /// <summary>Tasks appending to the store in parallel.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>
    /// Most spans a worker gathers from queued submissions into one store append. A single
    /// submission larger than this is appended whole, never split, so that its acknowledgement
    /// stays all-or-nothing.
    /// </summary>
    public int MaxSpansPerAppend { get; init; } = 8_192;

    /// <exception cref="ArgumentOutOfRangeException">A bound is zero or negative.</exception>
    public void Validate()
    {
        RequirePositive(MaxQueuedSpans, nameof(MaxQueuedSpans));
        RequirePositive(Workers, nameof(Workers));
        RequirePositive(MaxSpansPerAppend, nameof(MaxSpansPerAppend));
    }

    private static void RequirePositive(int value, string name)
    {
        if (value < 1)
            throw new ArgumentOutOfRangeException(name, value, $"Ingest queue option {name} must be at least 1; got {value}.");
    }
}
