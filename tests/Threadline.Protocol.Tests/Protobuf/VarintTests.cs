using Threadline.Protobuf;

namespace Threadline.Protocol.Tests.Protobuf;

/// <summary>The varint primitives in src/Shared, compiled into Protocol (and the SDK).</summary>
public sealed class VarintTests
{
    [Theory]
    [InlineData(0UL, new byte[] { 0x00 })]
    [InlineData(1UL, new byte[] { 0x01 })]
    [InlineData(127UL, new byte[] { 0x7F })]
    [InlineData(128UL, new byte[] { 0x80, 0x01 })]
    [InlineData(300UL, new byte[] { 0xAC, 0x02 })]
    [InlineData(ulong.MaxValue, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    public void Write_size_and_read_agree_with_the_protobuf_encoding(ulong value, byte[] encoded)
    {
        var buffer = new byte[Varint.MaxLength + 1];
        var end = Varint.Write(buffer, 1, value);

        Assert.Equal(encoded, buffer[1..end]);
        Assert.Equal(encoded.Length, Varint.Size(value));
        if (value <= uint.MaxValue) Assert.Equal(encoded.Length, Varint.Size((uint)value));

        var position = 1;
        Assert.Equal(VarintStatus.Done, Varint.TryRead(buffer, ref position, end, out var read));
        Assert.Equal(value, read);
        Assert.Equal(end, position);
    }

    [Fact]
    public void Varint_cut_by_the_limit_is_truncated_and_the_position_stays()
    {
        byte[] data = [0xAC, 0x02];
        var position = 0;

        Assert.Equal(VarintStatus.Truncated, Varint.TryRead(data, ref position, limit: 1, out _));
        Assert.Equal(0, position);
    }

    [Fact]
    public void Tenth_byte_carrying_more_than_one_bit_is_too_long()
    {
        byte[] data = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02];
        var position = 0;

        Assert.Equal(VarintStatus.TooLong, Varint.TryRead(data, ref position, data.Length, out _));
        Assert.Equal(0, position);
    }
}
