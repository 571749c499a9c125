using System.Buffers.Binary;

namespace Threadline.Protocol.Grpc;

/// <summary>
/// The 5 bytes before every gRPC message on the wire: a compressed flag (0 or 1) and the message
/// length as a big-endian 32-bit number.
/// </summary>
public readonly record struct GrpcMessagePrefix(byte CompressedFlag, uint MessageLength)
{
    public const int Size = 5;

    public bool IsCompressed => CompressedFlag == 1;

    /// <summary>Reads a prefix from its first <see cref="Size"/> bytes.</summary>
    public static GrpcMessagePrefix Read(ReadOnlySpan<byte> bytes) =>
        new(bytes[0], BinaryPrimitives.ReadUInt32BigEndian(bytes.Slice(1, 4)));

    /// <summary>Writes the prefix of a message of <paramref name="messageLength"/> bytes into the first <see cref="Size"/> bytes.</summary>
    public static void Write(Span<byte> destination, int messageLength, bool compressed = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(messageLength);
        destination[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(1, 4), (uint)messageLength);
    }

    /// <summary>
    /// Why a message with this prefix must be refused before it is read, or null when it may be
    /// read: an undefined flag, a compressed message on a call without <c>grpc-encoding</c>, or a
    /// length over <paramref name="limit"/>.
    /// </summary>
    public GrpcRefusal? Check(bool callHasEncoding, int limit)
    {
        if (CompressedFlag > 1)
            return new(GrpcStatusCode.InvalidArgument, $"The message prefix has compressed flag {CompressedFlag}; only 0 and 1 are defined.");
        if (IsCompressed && !callHasEncoding)
        {
            // The gRPC compression spec makes this an INTERNAL error: the client broke the protocol.
            return new(GrpcStatusCode.Internal, "The message is flagged as compressed but the call has no grpc-encoding; send grpc-encoding: gzip.");
        }
        if (MessageLength > (uint)limit)
            return new(GrpcStatusCode.ResourceExhausted, $"The message is {MessageLength} bytes, over the limit of {limit} bytes; send smaller batches.");
        return null;
    }
}
