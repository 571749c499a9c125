using System.Diagnostics;

namespace Threadline.Cli.Load;

/// <summary>What one load run measured.</summary>
/// <param name="Probes">A bounded random sample of the acknowledged traces the source offered probes for.</param>
internal sealed record LoadResult(
    TimeSpan Elapsed,
    long AcceptedRequests,
    long AcceptedSpans,
    long RefusedRequests,
    long FailedRequests,
    double LatencyP50Ms,
    double LatencyP99Ms,
    IReadOnlyList<TraceProbe> Probes)
{
    public double SpansPerSecond => Elapsed > TimeSpan.Zero ? AcceptedSpans / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// Concurrent OTLP clients sending to one server until the duration or the request budget runs
/// out, or the source has nothing left, whichever comes first. Only success counts as accepted;
/// back-pressure (429/503, RESOURCE_EXHAUSTED/UNAVAILABLE) is counted as refused, anything else
/// as failed.
/// </summary>
internal static class LoadRunner
{
    /// <summary>How many acknowledged traces a run keeps for the query phase to look up.</summary>
    public const int ProbeCapacity = 4_096;

    /// <param name="retryRefused">
    /// Send a refused body again after a short pause instead of moving on: a storage run must
    /// store every span it generated, so that its figures (bytes per span, lookups) are about
    /// exactly that data.
    /// </param>
    public static async Task<LoadResult> RunAsync(
        LoadTarget target, ILoadRequestSource requests, int concurrency, TimeSpan duration, long maxRequests, CancellationToken cancellationToken,
        bool retryRefused = false)
    {
        using var sender = target.CreateSender(concurrency);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(duration);

        long issued = 0, accepted = 0, acceptedSpans = 0, refused = 0, failed = 0;
        var latencies = new List<double>[concurrency];
        var probes = new ProbeReservoir(ProbeCapacity, seed: 17);
        var clock = Stopwatch.StartNew();

        async Task WorkerAsync(int worker)
        {
            var mine = latencies[worker] = new List<double>(capacity: 16_384);
            while (!stop.IsCancellationRequested && Interlocked.Increment(ref issued) <= maxRequests)
            {
                if (requests.Next() is not { } request) return;
                while (true)
                {
                    var started = Stopwatch.GetTimestamp();
                    ExportOutcome outcome;
                    try
                    {
                        outcome = await sender.SendAsync(request.Body, stop.Token).ConfigureAwait(false);
                        mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                    catch (OperationCanceledException) when (stop.IsCancellationRequested)
                    {
                        // The run ended while this request was in flight; it is not counted either way.
                        return;
                    }
                    catch (HttpRequestException)
                    {
                        outcome = ExportOutcome.Failed;
                    }
                    switch (outcome)
                    {
                        case ExportOutcome.Accepted:
                            Interlocked.Increment(ref accepted);
                            Interlocked.Add(ref acceptedSpans, request.Spans);
                            if (request.Probe is { } probe) probes.Offer(probe);
                            break;
                        case ExportOutcome.Refused:
                            Interlocked.Increment(ref refused);
                            if (!retryRefused) break;
                            try
                            {
                                await Task.Delay(TimeSpan.FromMilliseconds(20), stop.Token).ConfigureAwait(false);
                            }
                            catch (OperationCanceledException)
                            {
                                return;
                            }
                            continue;
                        default:
                            Interlocked.Increment(ref failed);
                            break;
                    }
                    break;
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(WorkerAsync)).ConfigureAwait(false);
        var elapsed = clock.Elapsed;

        var all = latencies.Where(l => l is not null).SelectMany(l => l).Order().ToArray();
        return new LoadResult(elapsed, accepted, acceptedSpans, refused, failed, Percentile(all, 0.50), Percentile(all, 0.99), probes.ToList());
    }

    public static double Percentile(double[] sorted, double quantile) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(quantile * sorted.Length))];

    /// <summary>Reservoir sampling: every acknowledged probe has the same chance to be kept, in bounded memory.</summary>
    private sealed class ProbeReservoir(int capacity, int seed)
    {
        private readonly Lock _lock = new();
        private readonly List<TraceProbe> _kept = new(capacity);
        private readonly Random _random = new(seed);
        private long _seen;

        public void Offer(TraceProbe probe)
        {
            lock (_lock)
            {
                _seen++;
                if (_kept.Count < capacity) _kept.Add(probe);
                else if (_random.NextInt64(_seen) is var slot && slot < capacity) _kept[(int)slot] = probe;
            }
        }

        public List<TraceProbe> ToList()
        {
            lock (_lock) return [.. _kept];
        }
    }
}
