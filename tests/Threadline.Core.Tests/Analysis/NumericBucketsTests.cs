using Threadline.Core.Analysis.Triage;

namespace Threadline.Core.Tests.Analysis;

public sealed class NumericBucketsTests
{
    [Theory]
    [InlineData(1.0, "[1, 2)")]
    [InlineData(1.999, "[1, 2)")]
    [InlineData(2.0, "[2, 5)")]
    [InlineData(4.999, "[2, 5)")]
    [InlineData(5.0, "[5, 10)")]
    [InlineData(10.0, "[10, 20)")]
    [InlineData(999.0, "[500, 1000)")]
    [InlineData(1000.0, "[1000, 2000)")]
    [InlineData(0.3, "[0.2, 0.5)")]
    [InlineData(0.001, "[0.001, 0.002)")]
    [InlineData(0.0, "≤ 0")]
    [InlineData(-42.0, "≤ 0")]
    public void A_number_falls_in_its_1_2_5_bucket(double value, string bucket)
    {
        Assert.Equal(bucket, NumericBuckets.RangeOf(NumericBuckets.IndexOf(value)).ToString());
    }

    [Fact]
    public void Every_positive_number_lies_within_its_bucket()
    {
        var random = new Random(11);
        for (var i = 0; i < 10_000; i++)
        {
            var value = Math.Pow(10, (random.NextDouble() * 30) - 11);
            var range = NumericBuckets.RangeOf(NumericBuckets.IndexOf(value));
            Assert.True(value >= range.Low && value < range.High, $"{value} is outside {range}");
        }
    }
}
