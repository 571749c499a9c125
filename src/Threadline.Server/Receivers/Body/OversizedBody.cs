using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Threadline.Server.Receivers.Body;

/// <summary>
/// What to do with the unread rest of a body that is over the limit. Many HTTP/1.1 clients (Python's
/// http.client and requests, several SDK exporters) write the whole body before they read the answer.
/// If the server answers 413 and closes while they are still writing, they see a broken pipe or a
/// connection reset instead of the 413. Reading the rest and throwing it away, up to a bound, lets them
/// finish and read the answer; a body beyond the bound gets the answer with the connection closed.
/// </summary>
internal static class OversizedBody
{
    /// <summary>The most bytes past the limit read and thrown away; Kestrel's wire cap allows this much more.</summary>
    public const long MaxDiscardedBytes = 64L * 1024 * 1024;

    // A client trickling its body cannot hold the request open for long: Kestrel's minimum data rate
    // applies too, but this caps the total.
    private static readonly TimeSpan MaxDiscardTime = TimeSpan.FromSeconds(10);

    private const int ChunkBytes = 16 * 1024;

    /// <summary>
    /// Reads and discards what the client is still sending. <paramref name="readingStarted"/> is false
    /// when the body was refused from its declared length alone, before any byte was read.
    /// </summary>
    public static async Task DiscardRestAsync(HttpRequest request, bool readingStarted, CancellationToken cancellationToken)
    {
        // A client that sent "Expect: 100-continue" waits for the server's go-ahead before sending the
        // body; answering 413 now means it never sends it. Reading would give the go-ahead.
        if (!readingStarted && request.Headers.Expect.ToString().Contains("100-continue", StringComparison.OrdinalIgnoreCase)) return;

        // Past Kestrel's cap on the bytes on the wire the first read would fail anyway.
        var wireCap = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
        if (request.ContentLength > wireCap)
        {
            CloseAfterAnswer(request);
            return;
        }

        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(MaxDiscardTime);
        try
        {
            long discarded = 0;
            while (discarded <= MaxDiscardedBytes)
            {
                var read = await request.Body.ReadAsync(chunk.AsMemory(0, ChunkBytes), timeout.Token).ConfigureAwait(false);
                if (read == 0) return;
                discarded += read;
            }
            CloseAfterAnswer(request);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            CloseAfterAnswer(request);
        }
        catch (BadHttpRequestException)
        {
            // Past Kestrel's wire cap, or the client broke off: the answer goes out and the connection ends.
            CloseAfterAnswer(request);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static void CloseAfterAnswer(HttpRequest request)
    {
        var response = request.HttpContext.Response;
        if (!response.HasStarted) response.Headers[HeaderNames.Connection] = "close";
    }
}
