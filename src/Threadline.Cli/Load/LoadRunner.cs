using System.Diagnostics;

namespace Threadline.Cli.Load;

/// <summary>What one load run measured.</summary>
internal sealed record LoadResult(
    TimeSpan Elapsed,
    long AcceptedRequests,
    long AcceptedSpans,
    long RefusedRequests,
    long FailedRequests,
    double LatencyP50Ms,
    double LatencyP99Ms)
{
    public double SpansPerSecond => AcceptedSpans / Elapsed.TotalSeconds;
}

/// <summary>
/// Concurrent OTLP clients sending to one server until the duration or the request budget runs
/// out, whichever comes first. Only success counts as accepted; back-pressure (429/503,
/// RESOURCE_EXHAUSTED/UNAVAILABLE) is counted as refused, anything else as failed.
/// </summary>
internal static class LoadRunner
{
    public static async Task<LoadResult> RunAsync(
        LoadTarget target, LoadRequestFactory requests, int concurrency, TimeSpan duration, long maxRequests, CancellationToken cancellationToken)
    {
        using var sender = target.CreateSender(concurrency);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(duration);

        long issued = 0, accepted = 0, refused = 0, failed = 0;
        var latencies = new List<double>[concurrency];
        var clock = Stopwatch.StartNew();

        async Task WorkerAsync(int worker)
        {
            var mine = latencies[worker] = new List<double>(capacity: 16_384);
            while (!stop.IsCancellationRequested && Interlocked.Increment(ref issued) <= maxRequests)
            {
                var body = requests.Next();
                var started = Stopwatch.GetTimestamp();
                try
                {
                    var outcome = await sender.SendAsync(body, stop.Token).ConfigureAwait(false);
                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    switch (outcome)
                    {
                        case ExportOutcome.Accepted: Interlocked.Increment(ref accepted); break;
                        case ExportOutcome.Refused: Interlocked.Increment(ref refused); break;
                        default: Interlocked.Increment(ref failed); break;
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    // The run ended while this request was in flight; it is not counted either way.
                    return;
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(WorkerAsync)).ConfigureAwait(false);
        var elapsed = clock.Elapsed;

        var all = latencies.Where(l => l is not null).SelectMany(l => l).Order().ToArray();
        return new LoadResult(
            elapsed,
            accepted,
            accepted * requests.SpansPerRequest,
            refused,
            failed,
            Percentile(all, 0.50),
            Percentile(all, 0.99));
    }

    private static double Percentile(double[] sorted, double quantile) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(quantile * sorted.Length))];
}
