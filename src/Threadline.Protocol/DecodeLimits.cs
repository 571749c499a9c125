namespace Threadline.Protocol;

/// <summary>Bounds a decoder enforces so hostile input costs bounded time and memory.</summary>
public sealed record DecodeLimits
{
    public static readonly DecodeLimits Default = new();

    /// <summary>Deepest nesting of array / key-value-list attribute values; deeper input is rejected as malformed.</summary>
    /// <remarks>
    /// An attribute holding an array of scalars has depth 1; 0 allows scalars only. At most
    /// <see cref="MaxAllowedValueDepth"/>: decoders recurse once per level, and a limit beyond
    /// what a thread's stack can hold would let hostile input crash the process.
    /// </remarks>
    public int MaxValueDepth
    {
        get => _maxValueDepth;
        init => _maxValueDepth = value is >= 0 and <= MaxAllowedValueDepth
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxValueDepth), value, $"MaxValueDepth must be between 0 and {MaxAllowedValueDepth}.");
    }

    /// <summary>The largest accepted <see cref="MaxValueDepth"/>.</summary>
    public const int MaxAllowedValueDepth = 256;

    private readonly int _maxValueDepth = 32;
}
