namespace Threadline.Storage;

/// <summary>
/// The store cannot accept spans for now (disk full, data directory read-only, an I/O error),
/// and nothing of the batch was acknowledged. Reads still work. Receivers answer 503 /
/// UNAVAILABLE with Retry-After; the engine retries by itself on the next append, so ingest
/// recovers as soon as the cause is gone.
/// </summary>
public sealed class StoreUnavailableException : IOException
{
    public StoreUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
