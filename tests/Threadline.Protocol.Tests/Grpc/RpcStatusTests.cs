using System.Text;
using Threadline.Protocol.Grpc;
using Threadline.Protobuf;
using Threadline.Protocol.Otlp;

namespace Threadline.Protocol.Tests.Grpc;

public sealed class RpcStatusTests
{
    [Theory]
    [InlineData("plain ascii", "plain ascii")]
    [InlineData("100% full", "100%25 full")]
    [InlineData("line\nbreak", "line%0Abreak")]
    [InlineData("café", "caf%C3%A9")]
    public void Grpc_message_is_percent_encoded_as_the_grpc_spec_says(string message, string encoded) =>
        Assert.Equal(encoded, GrpcStatusTrailers.EncodeMessage(message));

    [Fact]
    public void Rpc_status_with_retry_info_encodes_every_field()
    {
        var bytes = new RpcStatus(8, "slow down", TimeSpan.FromMilliseconds(1500)).ToProtobuf();

        var status = Fields(bytes);
        Assert.Equal(8UL, status[1].Varint);
        Assert.Equal("slow down", Encoding.UTF8.GetString(status[2].Bytes));
        var any = Fields(status[3].Bytes);
        Assert.Equal(RpcStatus.RetryInfoTypeUrl, Encoding.UTF8.GetString(any[1].Bytes));
        var duration = Fields(Fields(any[2].Bytes)[1].Bytes);
        Assert.Equal(1UL, duration[1].Varint);
        Assert.Equal(500_000_000UL, duration[2].Varint);
    }

    [Fact]
    public void Rpc_status_without_retry_info_has_only_code_and_message()
    {
        var status = Fields(new RpcStatus(3, "bad").ToProtobuf());

        Assert.Equal([1, 2], status.Keys.Order());
    }

    [Fact]
    public void Rpc_status_json_uses_the_proto3_json_mapping()
    {
        var json = Encoding.UTF8.GetString(new RpcStatus(8, "it's full", TimeSpan.FromMilliseconds(1500)).ToJson());

        Assert.Equal("""{"code":8,"message":"it's full","details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"1.5s"}]}""", json);
    }

    /// <summary>The fields of one message by number (each appears once in these messages).</summary>
    private static Dictionary<int, (ulong Varint, byte[] Bytes)> Fields(byte[] message)
    {
        var fields = new Dictionary<int, (ulong, byte[])>();
        var reader = new ProtobufReader(message);
        while (reader.HasMore)
        {
            var tag = reader.ReadTag();
            var field = (int)(tag >> 3);
            fields.Add(field, (tag & 7) switch
            {
                WireType.Varint => (reader.ReadVarint64(), []),
                WireType.LengthDelimited => (0, reader.ReadLengthDelimited().ToArray()),
                _ => throw new InvalidOperationException($"unexpected wire type {tag & 7} for field {field}"),
            });
        }
        return fields;
    }
}
