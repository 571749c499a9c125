using Microsoft.AspNetCore.Http;

namespace Threadline.Server.Receivers.Body;

/// <summary>
/// Reads a stream (a request body, or a gzip stream over one) into a <see cref="PooledBuffer"/>,
/// stopping the moment the limit is passed. Decompression happens as the bytes are read, so a
/// gzip bomb is never inflated beyond the limit.
/// </summary>
internal static class BoundedStreamReader
{
    public static async Task<BodyReadResult> ReadAsync(Stream source, long initialCapacity, int limit, CancellationToken cancellationToken)
    {
        var buffer = new PooledBuffer(initialCapacity, limit);
        var handedOver = false;
        try
        {
            while (true)
            {
                var free = buffer.GetFreeMemory();
                if (free.IsEmpty)
                {
                    // Exactly at the limit: one more byte means the body is too large.
                    var probe = new byte[1];
                    var extra = await source.ReadAsync(probe, cancellationToken).ConfigureAwait(false);
                    if (extra == 0)
                    {
                        handedOver = true;
                        return BodyReadResult.Complete(buffer);
                    }
                    return BodyReadResult.TooLarge(limit);
                }
                var read = await source.ReadAsync(free, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    handedOver = true;
                    return BodyReadResult.Complete(buffer);
                }
                buffer.Advance(read);
            }
        }
        catch (InvalidDataException ex)
        {
            return BodyReadResult.MalformedCompression(ex.Message);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Kestrel's own cap on the bytes on the wire (what a compressed body may take).
            return BodyReadResult.TooLarge(limit);
        }
        catch (BadHttpRequestException ex)
        {
            return BodyReadResult.Incomplete(ex.Message);
        }
        finally
        {
            // On success the result owns the buffer; on every other way out it goes back to the pool.
            if (!handedOver) buffer.Dispose();
        }
    }
}
