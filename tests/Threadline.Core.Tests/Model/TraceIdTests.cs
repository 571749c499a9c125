using Threadline.Core.Model;

namespace Threadline.Core.Tests.Model;

public sealed class TraceIdTests
{
    [Fact]
    public void Hex_round_trip_is_lower_case_and_lossless()
    {
        var id = TraceId.Parse("4BF92F3577B34DA6A3CE929D0E0E4736");
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", id.ToString());
        Assert.Equal(0x4bf92f3577b34da6UL, id.High);
        Assert.Equal(0xa3ce929d0e0e4736UL, id.Low);
    }

    [Fact]
    public void Binary_round_trip_is_big_endian()
    {
        var bytes = Convert.FromHexString("0102030405060708090a0b0c0d0e0f10");
        var id = TraceId.FromBytes(bytes);
        Assert.Equal("0102030405060708090a0b0c0d0e0f10", id.ToString());
        Assert.Equal(bytes, id.ToBytes());
    }

    [Fact]
    public void Sixty_four_bit_ids_are_left_padded()
    {
        Assert.True(TraceId.TryParse("a3ce929d0e0e4736", out var id));
        Assert.Equal("0000000000000000a3ce929d0e0e4736", id.ToString());
        Assert.Equal(0UL, id.High);
    }

    [Theory]
    [InlineData("")]
    [InlineData("4bf92f3577b34da6a3ce929d0e0e473")]
    [InlineData("4bf92f3577b34da6a3ce929d0e0e47366")]
    [InlineData("4bf92f3577b34da6a3ce929d0e0e473g")]
    [InlineData("4bf92f3577b34da6-3ce929d0e0e4736")]
    public void Malformed_hex_is_rejected(string hex)
    {
        Assert.False(TraceId.TryParse(hex, out _));
        Assert.Throws<FormatException>(() => TraceId.Parse(hex));
    }

    [Fact]
    public void Utf8_parse_matches_char_parse()
    {
        Assert.True(TraceId.TryParse("4bf92f3577b34da6a3ce929d0e0e4736"u8, out var fromUtf8));
        Assert.Equal(TraceId.Parse("4bf92f3577b34da6a3ce929d0e0e4736"), fromUtf8);
    }

    [Fact]
    public void Empty_is_all_zero()
    {
        Assert.True(TraceId.Empty.IsEmpty);
        Assert.True(TraceId.Parse(new string('0', 32)).IsEmpty);
        Assert.False(TraceId.Parse("00000000000000000000000000000001").IsEmpty);
    }

    [Fact]
    public void Ordering_compares_high_then_low()
    {
        var a = new TraceId(1, ulong.MaxValue);
        var b = new TraceId(2, 0);
        Assert.True(a < b);
        Assert.Equal(-1, a.CompareTo(b));
    }

    [Fact]
    public void Wrong_byte_length_throws()
    {
        Assert.Throws<ArgumentException>(() => TraceId.FromBytes(new byte[15]));
    }
}

public sealed class SpanIdTests
{
    [Fact]
    public void Hex_and_binary_round_trip()
    {
        var id = SpanId.Parse("00F067AA0BA902B7");
        Assert.Equal("00f067aa0ba902b7", id.ToString());
        Assert.Equal(id, SpanId.FromBytes(id.ToBytes()));
    }

    [Theory]
    [InlineData("00f067aa0ba902b")]
    [InlineData("00f067aa0ba902b77")]
    [InlineData("00f067aa0ba902bz")]
    public void Malformed_hex_is_rejected(string hex) => Assert.False(SpanId.TryParse(hex, out _));

    [Fact]
    public void Formatting_into_a_short_buffer_fails_cleanly()
    {
        Span<char> small = stackalloc char[8];
        Assert.False(new SpanId(1).TryFormat(small, out var written, default, null));
        Assert.Equal(0, written);
    }
}
