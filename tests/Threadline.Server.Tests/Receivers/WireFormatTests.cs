using Threadline.Server.Receivers;
using Threadline.Server.Receivers.Grpc;
using Threadline.Server.Tests.Infrastructure;

namespace Threadline.Server.Tests.Receivers;

public sealed class WireFormatTests
{
    [Theory]
    [InlineData("plain ascii", "plain ascii")]
    [InlineData("100% full", "100%25 full")]
    [InlineData("line\nbreak", "line%0Abreak")]
    [InlineData("café", "caf%C3%A9")]
    public void Grpc_message_is_percent_encoded_as_the_grpc_spec_says(string message, string encoded) =>
        Assert.Equal(encoded, GrpcResponseWriter.PercentEncode(message));

    [Fact]
    public void Rpc_status_with_retry_info_encodes_every_field()
    {
        var bytes = new RpcStatus(8, "slow down", TimeSpan.FromMilliseconds(1500)).ToProtobuf();

        var status = ProtoReader.Fields(bytes);
        Assert.Equal(8UL, status.Single(f => f.Number == 1).Varint);
        Assert.Equal("slow down", status.Single(f => f.Number == 2).Text);
        var any = ProtoReader.Fields(status.Single(f => f.Number == 3).Bytes);
        Assert.Equal(RpcStatus.RetryInfoTypeUrl, any.Single(f => f.Number == 1).Text);
        var duration = ProtoReader.Fields(ProtoReader.Fields(any.Single(f => f.Number == 2).Bytes).Single().Bytes);
        Assert.Equal(1UL, duration.Single(f => f.Number == 1).Varint);
        Assert.Equal(500_000_000UL, duration.Single(f => f.Number == 2).Varint);
    }

    [Fact]
    public void Rpc_status_json_uses_the_proto3_json_mapping()
    {
        var json = System.Text.Encoding.UTF8.GetString(new RpcStatus(8, "it's full", TimeSpan.FromMilliseconds(1500)).ToJson());

        Assert.Equal("""{"code":8,"message":"it's full","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"1.5s"}]}""", json);
    }
}
