using System.IO.Compression;
using Microsoft.AspNetCore.Http;

namespace Threadline.Server.Receivers.Body;

/// <summary>Reads an HTTP request body, inflating gzip on the fly, up to a limit on the decompressed size.</summary>
internal static class HttpBodyReader
{
    // A gzip body's inflated size is unknown up front; start with a guess and let the buffer grow.
    private const int CompressionRatioGuess = 4;

    public static async Task<BodyReadResult> ReadAsync(HttpRequest request, ContentCoding coding, int limit, CancellationToken cancellationToken)
    {
        var declared = request.ContentLength;
        if (coding == ContentCoding.Identity)
        {
            // Refuse before reading a byte when the client already says the body is too large.
            if (declared > limit)
            {
                await OversizedBody.DiscardRestAsync(request, readingStarted: false, cancellationToken).ConfigureAwait(false);
                return BodyReadResult.TooLarge(limit);
            }
            return await DiscardRestIfTooLargeAsync(
                request,
                await BoundedStreamReader.ReadAsync(request.Body, declared ?? 0, limit, cancellationToken).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
        }

        BodyReadResult result;
        var inflater = new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true);
        await using (inflater.ConfigureAwait(false))
        {
            result = await BoundedStreamReader.ReadAsync(inflater, (declared ?? 0) * CompressionRatioGuess, limit, cancellationToken).ConfigureAwait(false);
        }
        // The inflater stopped at the limit; what is left of the compressed body is read raw.
        return await DiscardRestIfTooLargeAsync(request, result, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<BodyReadResult> DiscardRestIfTooLargeAsync(HttpRequest request, BodyReadResult result, CancellationToken cancellationToken)
    {
        if (result.Status == BodyReadStatus.TooLarge) await OversizedBody.DiscardRestAsync(request, readingStarted: true, cancellationToken).ConfigureAwait(false);
        return result;
    }
}
