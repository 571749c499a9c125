namespace Threadline.Protocol;

/// <summary>Bounds a decoder enforces so hostile input costs bounded time and memory.</summary>
public sealed record DecodeLimits
{
    public static readonly DecodeLimits Default = new();

    /// <summary>Deepest nesting of array / key-value-list attribute values; deeper input is rejected as malformed.</summary>
    public int MaxValueDepth { get; init; } = 32;
}
