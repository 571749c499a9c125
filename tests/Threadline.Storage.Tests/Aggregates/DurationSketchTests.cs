using Threadline.Storage.Aggregates;

namespace Threadline.Storage.Tests.Aggregates;

public sealed class DurationSketchTests
{
    private static readonly double[] Quantiles = [0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

    // Latency-shaped data: log-normal around a few ms, uniform over a wide range, and a
    // bimodal mix of cache hits and slow misses, each under many seeds.
    public static TheoryData<string, int> Distributions()
    {
        var data = new TheoryData<string, int>();
        foreach (var shape in new[] { "lognormal", "uniform", "bimodal" })
        {
            for (var seed = 1; seed <= 20; seed++) data.Add(shape, seed);
        }
        return data;
    }

    private static ulong[] Sample(string shape, int seed, int count)
    {
        var random = new Random(seed);
        var values = new ulong[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = shape switch
            {
                "lognormal" => (ulong)Math.Exp(15 + 1.5 * Gaussian(random)),
                "uniform" => (ulong)random.NextInt64(1, 10_000_000_000),
                _ => random.Next(10) < 8 ? (ulong)random.Next(50_000, 200_000) : (ulong)random.NextInt64(1_000_000_000, 5_000_000_000),
            };
        }
        return values;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    [Theory]
    [MemberData(nameof(Distributions))]
    public void Quantiles_are_within_one_percent_of_the_exact_value(string shape, int seed)
    {
        var values = Sample(shape, seed, 1 + new Random(seed).Next(1, 5_000));
        var sketch = new DurationSketch();
        foreach (var v in values) sketch.Add(v);

        Array.Sort(values);
        foreach (var q in Quantiles)
        {
            var exact = (double)values[(int)Math.Floor(q * (values.Length - 1))];
            var estimate = sketch.Quantile(q);
            Assert.True(Math.Abs(estimate - exact) <= exact * DurationSketch.RelativeAccuracy,
                $"{shape} seed {seed}, q={q}: estimate {estimate}, exact {exact}, error {Math.Abs(estimate - exact) / exact:P3}");
        }
        Assert.Equal(values.Length, sketch.Count);
    }

    [Theory]
    [MemberData(nameof(Distributions))]
    public void Merging_is_associative_and_equals_recording_everything_in_one(string shape, int seed)
    {
        var values = Sample(shape, seed, 3_000);
        var (a, b, c, whole) = (new DurationSketch(), new DurationSketch(), new DurationSketch(), new DurationSketch());
        for (var i = 0; i < values.Length; i++)
        {
            (i % 3 == 0 ? a : i % 3 == 1 ? b : c).Add(values[i]);
            whole.Add(values[i]);
        }

        var left = a.Clone();
        left.Merge(b);
        left.Merge(c);
        var bc = b.Clone();
        bc.Merge(c);
        var right = a.Clone();
        right.Merge(bc);

        Assert.Equal(whole.Buckets(), left.Buckets());
        Assert.Equal(left.Buckets(), right.Buckets());
        Assert.Equal(whole.Count, right.Count);
        foreach (var q in Quantiles) Assert.Equal(whole.Quantile(q), right.Quantile(q));
    }

    [Fact]
    public void Zero_durations_are_counted_and_reported_as_zero()
    {
        var sketch = new DurationSketch();
        sketch.Add(0, 3);
        sketch.Add(1_000_000);

        Assert.Equal(4, sketch.Count);
        Assert.Equal(3, sketch.ZeroCount);
        Assert.Equal(0, sketch.Quantile(0.5));
        Assert.Equal(1_000_000, sketch.Quantile(1), 10_000.0);
    }

    [Fact]
    public void Extremes_stay_within_bounded_buckets()
    {
        var sketch = new DurationSketch();
        sketch.Add(1);
        sketch.Add(ulong.MaxValue);

        Assert.Equal(1, sketch.Quantile(0), 0.01);
        Assert.Equal(ulong.MaxValue, sketch.Quantile(1), ulong.MaxValue * 0.01);
        Assert.True(DurationSketch.IndexOf(ulong.MaxValue) < 2_300);
    }

    [Fact]
    public void Empty_sketch_answers_zero_and_bad_quantiles_are_refused()
    {
        var sketch = new DurationSketch();

        Assert.Equal(0, sketch.Quantile(0.99));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Quantile(1.5));
        Assert.Contains("[0, 1]", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => sketch.Quantile(double.NaN));
    }

    [Fact]
    public void A_clone_does_not_change_with_its_original()
    {
        var sketch = new DurationSketch();
        sketch.Add(5_000);
        var clone = sketch.Clone();

        sketch.Add(9_000_000);

        Assert.Equal(1, clone.Count);
        Assert.Equal(5_000, clone.Quantile(1), 50.0);
    }
}
