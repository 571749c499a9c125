using Threadline.Protocol.Grpc;

namespace Threadline.Protocol.Tests.Grpc;

public sealed class GrpcMessagePrefixTests
{
    [Fact]
    public void Prefix_is_a_flag_byte_and_a_big_endian_length()
    {
        var bytes = new byte[GrpcMessagePrefix.Size];
        GrpcMessagePrefix.Write(bytes, 0x01020304, compressed: true);

        Assert.Equal(new byte[] { 1, 1, 2, 3, 4 }, bytes);
    }

    [Fact]
    public void Uncompressed_prefix_has_flag_zero()
    {
        var bytes = new byte[GrpcMessagePrefix.Size];
        GrpcMessagePrefix.Write(bytes, 7);

        Assert.Equal(new byte[] { 0, 0, 0, 0, 7 }, bytes);
    }
}
