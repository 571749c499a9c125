using System.Buffers;
using System.IO.Compression;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Http;
using Threadline.Protocol.Grpc;
using Threadline.Server.Receivers.Body;

namespace Threadline.Server.Receivers.Grpc;

/// <summary>Turns the bytes of one gRPC message into a value; may throw for malformed input.</summary>
internal delegate T MessageDecoder<out T>(ReadOnlySpan<byte> message);

/// <summary>The decoded request message, or the gRPC status that refuses the call.</summary>
internal readonly record struct GrpcReadResult<T>(GrpcStatusCode Status, T? Value, string? Error)
{
    public static GrpcReadResult<T> Fail(GrpcStatusCode status, string error) => new(status, default, error);

    public static GrpcReadResult<T> Fail(GrpcRefusal refusal) => new(refusal.Status, default, refusal.Message);
}

/// <summary>
/// Reads the single message of a unary gRPC call straight from the request's
/// <see cref="PipeReader"/>: the <see cref="GrpcMessagePrefix"/>, then the message. The framing
/// rules and their refusals are Protocol's; this is the binding to Kestrel's pipe.
/// </summary>
/// <remarks>
/// Small messages are decoded in place from Kestrel's buffers. A larger one is copied once, as it
/// arrives, into a pooled buffer of exactly its size: holding it unconsumed in the pipe would stall
/// HTTP/2 flow control, which only reopens the window as the application consumes.
/// </remarks>
internal static class GrpcUnaryReader
{
    /// <summary>Messages up to this size are decoded in place; well under Kestrel's HTTP/2 stream window (768 KiB).</summary>
    private const int InPlaceLimit = 256 * 1024;

    /// <param name="reader">The request body.</param>
    /// <param name="encoding">The call's <c>grpc-encoding</c>; compressed messages use it.</param>
    /// <param name="limit">The most bytes a message may have, compressed or inflated.</param>
    /// <param name="decode">Runs while the message bytes are valid; its exceptions pass through.</param>
    /// <param name="cancellationToken">The request's abort token.</param>
    public static async Task<GrpcReadResult<T>> ReadAsync<T>(
        PipeReader reader, ContentCoding encoding, int limit, MessageDecoder<T> decode, CancellationToken cancellationToken)
    {
        try
        {
            var result = await reader.ReadAtLeastAsync(GrpcMessagePrefix.Size, cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Length < GrpcMessagePrefix.Size)
            {
                reader.AdvanceTo(buffer.End);
                return GrpcReadResult<T>.Fail(buffer.Length == 0 ? GrpcRefusal.NoMessage() : GrpcRefusal.PartialPrefix(buffer.Length));
            }

            var prefix = ReadPrefix(buffer.Slice(0, GrpcMessagePrefix.Size));
            reader.AdvanceTo(buffer.GetPosition(GrpcMessagePrefix.Size));
            if (prefix.Check(callHasEncoding: encoding != ContentCoding.Identity, limit) is { } refusal)
                return GrpcReadResult<T>.Fail(refusal);

            var length = (int)prefix.MessageLength;
            return length <= InPlaceLimit
                ? await ReadInPlaceAsync(reader, length, prefix.IsCompressed, limit, decode, cancellationToken).ConfigureAwait(false)
                : await ReadCopiedAsync(reader, length, prefix.IsCompressed, limit, decode, cancellationToken).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return GrpcReadResult<T>.Fail(GrpcRefusal.BodyTooLarge(limit));
        }
        catch (BadHttpRequestException ex)
        {
            return GrpcReadResult<T>.Fail(GrpcStatusCode.InvalidArgument, "The request body ended early: " + ex.Message);
        }
    }

    private static async Task<GrpcReadResult<T>> ReadInPlaceAsync<T>(
        PipeReader reader, int length, bool compressed, int limit, MessageDecoder<T> decode, CancellationToken cancellationToken)
    {
        var result = await reader.ReadAtLeastAsync(length, cancellationToken).ConfigureAwait(false);
        var buffer = result.Buffer;

        // A unary call ends right after its message; wait for that end to refuse a second message.
        while (!result.IsCompleted && buffer.Length == length)
        {
            reader.AdvanceTo(buffer.Start, buffer.End);
            result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            buffer = result.Buffer;
        }

        try
        {
            if (buffer.Length < length)
                return Truncated<T>(buffer.Length, length);
            if (buffer.Length > length)
                return TooManyMessages<T>();
            return await DecodeAsync(buffer, compressed, limit, decode, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            reader.AdvanceTo(buffer.End);
        }
    }

    private static async Task<GrpcReadResult<T>> ReadCopiedAsync<T>(
        PipeReader reader, int length, bool compressed, int limit, MessageDecoder<T> decode, CancellationToken cancellationToken)
    {
        using var message = new PooledBuffer(length, length);
        while (message.Length < length)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var take = buffer.Slice(0, Math.Min(buffer.Length, length - message.Length));
            foreach (var segment in take)
                message.TryWrite(segment.Span);
            reader.AdvanceTo(take.End);
            if (result.IsCompleted && message.Length < length)
                return Truncated<T>(message.Length, length);
        }

        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var trailing = result.Buffer.Length;
            reader.AdvanceTo(result.Buffer.End);
            if (trailing > 0) return TooManyMessages<T>();
            if (result.IsCompleted) break;
        }

        return await DecodeAsync(new ReadOnlySequence<byte>(message.WrittenSegment), compressed, limit, decode, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<GrpcReadResult<T>> DecodeAsync<T>(
        ReadOnlySequence<byte> message, bool compressed, int limit, MessageDecoder<T> decode, CancellationToken cancellationToken)
    {
        if (!compressed)
            return new(GrpcStatusCode.Ok, DecodeContiguous(message, decode), null);

        using var compressedCopy = ContiguousArray(message, out var segment);
        var inflater = new GZipStream(new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false), CompressionMode.Decompress);
        await using (inflater.ConfigureAwait(false))
        {
            using var inflated = await BoundedStreamReader.ReadAsync(inflater, segment.Count * 4L, limit, cancellationToken).ConfigureAwait(false);
            return inflated.Status switch
            {
                BodyReadStatus.Complete => new(GrpcStatusCode.Ok, decode(inflated.Body!.WrittenSpan), null),
                BodyReadStatus.TooLarge => GrpcReadResult<T>.Fail(GrpcStatusCode.ResourceExhausted, inflated.Error!),
                _ => GrpcReadResult<T>.Fail(GrpcStatusCode.InvalidArgument, inflated.Error!),
            };
        }
    }

    private static T DecodeContiguous<T>(ReadOnlySequence<byte> message, MessageDecoder<T> decode)
    {
        if (message.IsSingleSegment)
            return decode(message.FirstSpan);
        using var copy = new PooledBuffer(message.Length, (int)message.Length);
        foreach (var segment in message)
            copy.TryWrite(segment.Span);
        return decode(copy.WrittenSpan);
    }

    // GZipStream reads from a Stream; use the pipe's own array when it has one, else copy once.
    private static PooledBuffer? ContiguousArray(ReadOnlySequence<byte> message, out ArraySegment<byte> segment)
    {
        if (message.IsSingleSegment && MemoryMarshal.TryGetArray(message.First, out segment))
            return null;
        var copy = new PooledBuffer(message.Length, (int)message.Length);
        foreach (var part in message)
            copy.TryWrite(part.Span);
        segment = copy.WrittenSegment;
        return copy;
    }

    private static GrpcMessagePrefix ReadPrefix(ReadOnlySequence<byte> prefix)
    {
        Span<byte> bytes = stackalloc byte[GrpcMessagePrefix.Size];
        prefix.CopyTo(bytes);
        return GrpcMessagePrefix.Read(bytes);
    }

    private static GrpcReadResult<T> Truncated<T>(long received, int expected) => GrpcReadResult<T>.Fail(GrpcRefusal.Truncated(received, expected));

    private static GrpcReadResult<T> TooManyMessages<T>() => GrpcReadResult<T>.Fail(GrpcRefusal.TooManyMessages());
}
