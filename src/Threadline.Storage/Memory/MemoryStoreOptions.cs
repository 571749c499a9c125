namespace Threadline.Storage.Memory;

/// <summary>
/// Bounds of the memory engine. Every bound exists so that a flood of spans, or hostile input
/// with endless distinct names, keys or values, costs a known amount of memory.
/// </summary>
public sealed record MemoryStoreOptions
{
    /// <summary>
    /// Most spans kept. Appending past it evicts whole traces, oldest first by first arrival.
    /// </summary>
    public int MaxSpans { get; init; } = 1_000_000;

    /// <summary>Most distinct values kept per attribute key for the tag-values catalog; later values are not listed.</summary>
    public int MaxTagValuesPerKey { get; init; } = 1_000;

    /// <summary>
    /// Longest value (in characters of its text form) kept in the tag-values catalog. Longer
    /// values (SQL statements, stack traces) are still stored and searchable, only not listed.
    /// </summary>
    public int MaxTagValueLength { get; init; } = 256;

    /// <summary>Most distinct attribute keys kept for the tag-keys catalog.</summary>
    public int MaxTagKeys { get; init; } = 10_000;

    /// <summary>Most distinct services kept for the services catalog.</summary>
    public int MaxServices { get; init; } = 10_000;

    /// <summary>Most distinct operations (span name and kind) kept per service for the operations catalog.</summary>
    public int MaxOperationsPerService { get; init; } = 10_000;

    /// <exception cref="ArgumentOutOfRangeException">A bound is zero or negative.</exception>
    public void Validate()
    {
        RequirePositive(MaxSpans, nameof(MaxSpans));
        RequirePositive(MaxTagValuesPerKey, nameof(MaxTagValuesPerKey));
        RequirePositive(MaxTagValueLength, nameof(MaxTagValueLength));
        RequirePositive(MaxTagKeys, nameof(MaxTagKeys));
        RequirePositive(MaxServices, nameof(MaxServices));
        RequirePositive(MaxOperationsPerService, nameof(MaxOperationsPerService));
    }

    private static void RequirePositive(int value, string name)
    {
        if (value < 1)
            throw new ArgumentOutOfRangeException(name, value, $"Memory store option {name} must be at least 1; got {value}.");
    }
}
