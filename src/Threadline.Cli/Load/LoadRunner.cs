using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

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
/// Concurrent OTLP/HTTP protobuf clients posting to one endpoint until the duration or the request
/// budget runs out, whichever comes first. Only success (2xx) counts as accepted; 429/503 are
/// counted as refused, anything else as failed.
/// </summary>
internal static class LoadRunner
{
    public static async Task<LoadResult> RunAsync(
        Uri tracesEndpoint, LoadRequestFactory requests, int concurrency, TimeSpan duration, long maxRequests, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseProxy = false };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
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
                using var content = new ByteArrayContent(requests.Next());
                content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.PostAsync(tracesEndpoint, content, stop.Token).ConfigureAwait(false);
                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    if (response.IsSuccessStatusCode) Interlocked.Increment(ref accepted);
                    else if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable) Interlocked.Increment(ref refused);
                    else Interlocked.Increment(ref failed);
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
