using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Threadline.Core.Model;
using Threadline.Protocol.Otlp;

namespace Threadline.UiBench;

/// <summary>Sends spans to the server's OTLP/HTTP receiver as protobuf, as an SDK would, retrying when the queue is full.</summary>
internal sealed class SpanLoader(Uri otlpHttpEndpoint) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromMinutes(2) };
    private readonly Uri _traces = new(otlpHttpEndpoint, "/v1/traces");

    public long SpansSent { get; private set; }

    public async Task SendAsync(IReadOnlyList<Span> spans, CancellationToken cancellationToken)
    {
        var body = OtlpProtobufEncoder.EncodeExportRequest(spans);
        for (var attempt = 0; ; attempt++)
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
            using var response = await _http.PostAsync(_traces, content, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                SpansSent += spans.Count;
                return;
            }
            // A full ingest queue answers 429/503 with Retry-After: back off as an exporter would.
            if ((response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable) && attempt < 600)
            {
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromMilliseconds(200), cancellationToken);
                continue;
            }
            throw new InvalidOperationException($"The server refused a batch of {spans.Count} spans: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    /// <summary>Sends <paramref name="batches"/> with a few requests in flight, reporting progress every few seconds.</summary>
    public async Task SendAllAsync(string what, IEnumerable<List<Span>> batches, long total, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        var inFlight = new List<Task>();
        var sentBefore = SpansSent;
        foreach (var batch in batches)
        {
            inFlight.Add(SendAsync(batch, cancellationToken));
            if (inFlight.Count >= 4)
            {
                var done = await Task.WhenAny(inFlight);
                await done;
                inFlight.Remove(done);
            }
            if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(10))
            {
                lastReport = clock.Elapsed;
                Console.WriteLine($"  {what}: {SpansSent - sentBefore:N0} of {total:N0} spans sent ({(SpansSent - sentBefore) / clock.Elapsed.TotalSeconds:N0}/s)");
            }
        }
        await Task.WhenAll(inFlight);
        Console.WriteLine($"  {what}: {SpansSent - sentBefore:N0} spans sent in {clock.Elapsed.TotalSeconds:N1} s ({(SpansSent - sentBefore) / clock.Elapsed.TotalSeconds:N0}/s)");
    }

    public void Dispose() => _http.Dispose();
}
