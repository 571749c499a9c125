using System.Buffers.Binary;

namespace Threadline.Protocol.Grpc;

/// <summary>
/// The 5 bytes before every gRPC message on the wire: a compressed flag (0 or 1) and the message
/// length as a big-endian 32-bit number. Clients frame with it; the server leaves framing to Grpc.AspNetCore.
/// </summary>
public static class GrpcMessagePrefix
{
    public const int Size = 5;

    /// <summary>Writes the prefix of a message of <paramref name="messageLength"/> bytes into the first <see cref="Size"/> bytes.</summary>
    public static void Write(Span<byte> destination, int messageLength, bool compressed = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(messageLength);
        destination[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(destination.Slice(1, 4), (uint)messageLength);
    }
}
