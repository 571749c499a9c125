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
        Assert.Equal(new GrpcMessagePrefix(1, 0x01020304), GrpcMessagePrefix.Read(bytes));
    }

    [Fact]
    public void Uncompressed_message_within_the_limit_may_be_read() =>
        Assert.Null(new GrpcMessagePrefix(0, 100).Check(callHasEncoding: false, limit: 100));

    [Fact]
    public void Undefined_compressed_flag_is_INVALID_ARGUMENT()
    {
        var refusal = new GrpcMessagePrefix(2, 10).Check(callHasEncoding: true, limit: 100);

        Assert.Equal(GrpcStatusCode.InvalidArgument, refusal?.Status);
        Assert.Contains("compressed flag 2", refusal?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compressed_message_on_a_call_without_grpc_encoding_is_INTERNAL()
    {
        var refusal = new GrpcMessagePrefix(1, 10).Check(callHasEncoding: false, limit: 100);

        Assert.Equal(GrpcStatusCode.Internal, refusal?.Status);
        Assert.Contains("grpc-encoding", refusal?.Message, StringComparison.Ordinal);
        Assert.Null(new GrpcMessagePrefix(1, 10).Check(callHasEncoding: true, limit: 100));
    }

    [Fact]
    public void Message_over_the_limit_is_RESOURCE_EXHAUSTED_naming_both_sizes()
    {
        var refusal = new GrpcMessagePrefix(0, uint.MaxValue).Check(callHasEncoding: false, limit: 100);

        Assert.Equal(GrpcStatusCode.ResourceExhausted, refusal?.Status);
        Assert.Contains($"{uint.MaxValue} bytes, over the limit of 100 bytes", refusal?.Message, StringComparison.Ordinal);
    }
}
