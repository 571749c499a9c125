namespace Threadline.Demo;

/// <summary>
/// Time the demo's fake work takes. Real latencies are skewed: most calls are near the median and a
/// few take several times longer, which a log-normal distribution models well.
/// </summary>
internal static class SimulatedWork
{
    /// <summary>A log-normal duration with the given median; <paramref name="spread"/> is σ of the logarithm (0.5 ≈ a p99 of 3× the median).</summary>
    public static TimeSpan LogNormal(double medianMilliseconds, double spread)
    {
        // Box–Muller: a standard normal sample from two uniform ones.
        var u1 = 1.0 - Random.Shared.NextDouble();
        var u2 = Random.Shared.NextDouble();
        var normal = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        var milliseconds = medianMilliseconds * Math.Exp(spread * normal);
        // An unbounded tail would now and then stall the demo for seconds; real services time out too.
        return TimeSpan.FromMilliseconds(Math.Min(milliseconds, medianMilliseconds * 20));
    }

    /// <summary>Waits a <see cref="LogNormal"/> duration.</summary>
    public static Task DelayAsync(double medianMilliseconds, double spread, CancellationToken cancellationToken) =>
        Task.Delay(LogNormal(medianMilliseconds, spread), cancellationToken);
}
