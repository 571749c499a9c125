using Threadline.Protocol.Grpc;

namespace Threadline.Protocol.Tests.Grpc;

public sealed class GrpcTimeoutTests
{
    [Theory]
    [InlineData("1H", 3600_000d)]
    [InlineData("2M", 120_000d)]
    [InlineData("10S", 10_000d)]
    [InlineData("250m", 250d)]
    [InlineData("1500u", 1.5d)]
    [InlineData("2000000n", 2d)]
    [InlineData("99999999u", 99_999.999d)]
    public void Units_are_read_as_the_protocol_defines_them(string header, double milliseconds)
    {
        Assert.True(GrpcTimeout.TryParse(header, out var timeout));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), timeout);
    }

    [Fact]
    public void Deadline_further_than_a_day_is_no_deadline()
    {
        Assert.True(GrpcTimeout.TryParse("99999999H", out var timeout));
        Assert.Null(timeout);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Absent_header_is_no_deadline(string? header)
    {
        Assert.True(GrpcTimeout.TryParse(header, out var timeout));
        Assert.Null(timeout);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("S")]
    [InlineData("123456789S")]
    [InlineData("10s")]
    [InlineData("-1S")]
    [InlineData("1.5S")]
    public void Malformed_header_is_refused(string header) =>
        Assert.False(GrpcTimeout.TryParse(header, out _));
}
