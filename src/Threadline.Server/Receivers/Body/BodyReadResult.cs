namespace Threadline.Server.Receivers.Body;

/// <summary>How reading a request body ended.</summary>
internal enum BodyReadStatus
{
    /// <summary>The whole body is in <see cref="BodyReadResult.Body"/>.</summary>
    Complete,

    /// <summary>The body (after decompression) is over the limit; reading stopped there.</summary>
    TooLarge,

    /// <summary>The body claimed a compression it does not have (bad gzip data).</summary>
    MalformedCompression,

    /// <summary>The client stopped sending before the body was complete.</summary>
    Incomplete,
}

/// <summary>A read request body, or why there is none. The caller disposes it to return the buffer to the pool.</summary>
internal readonly record struct BodyReadResult(BodyReadStatus Status, PooledBuffer? Body, string? Error) : IDisposable
{
    public static BodyReadResult Complete(PooledBuffer body) => new(BodyReadStatus.Complete, body, null);
    public static BodyReadResult TooLarge(int limit) =>
        new(BodyReadStatus.TooLarge, null, $"The request body is larger than the limit of {limit} bytes (after decompression); send smaller batches.");
    public static BodyReadResult MalformedCompression(string detail) =>
        new(BodyReadStatus.MalformedCompression, null, $"The body is not valid gzip data: {detail}");
    public static BodyReadResult Incomplete(string detail) =>
        new(BodyReadStatus.Incomplete, null, $"The request body ended early: {detail}");

    public void Dispose() => Body?.Dispose();
}
