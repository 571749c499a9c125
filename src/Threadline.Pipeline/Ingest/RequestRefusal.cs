namespace Threadline.Pipeline.Ingest;

/// <summary>Why a receiver refused a request before any span reached the ingest service.</summary>
public enum RequestRefusal
{
    /// <summary>The body could not be decoded (bad protobuf, JSON, framing or gzip).</summary>
    Malformed,

    /// <summary>The body, after decompression, was over the configured limit.</summary>
    TooLarge,

    /// <summary>The content type or content encoding is not one the receiver speaks.</summary>
    Unsupported,
}
