namespace Threadline.Server.Options;

/// <summary>The bounded queue between the receivers and the store.</summary>
public sealed class IngestOptions
{
    /// <summary>
    /// The most spans waiting for the store (including those being written). A batch that would
    /// pass it is refused with 429 / RESOURCE_EXHAUSTED instead of being buffered without bound.
    /// </summary>
    public int MaxQueuedSpans { get; set; } = 200_000;

    /// <summary>How many writers append to the store in parallel.</summary>
    public int Workers { get; set; } = 2;

    /// <summary>
    /// The delay clients are told to wait before retrying when the queue is full or the store
    /// failed (HTTP <c>Retry-After</c>, gRPC <c>RetryInfo</c>).
    /// </summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>
    /// <see cref="StoreMode"/> (the default) queues and stores every span. <see cref="DecodeOnlyMode"/>
    /// decodes each request, answers success and discards the spans: a baseline for load tests
    /// (<c>threadline loadgen</c>) that shows what queueing and storing cost. Never for real data.
    /// </summary>
    public string Mode { get; set; } = StoreMode;

    /// <summary>Queue and store every span.</summary>
    public const string StoreMode = "store";

    /// <summary>Decode, acknowledge, discard: a benchmarking baseline only.</summary>
    public const string DecodeOnlyMode = "decode-only";
}
