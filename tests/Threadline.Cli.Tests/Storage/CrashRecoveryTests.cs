using System.Net;
using Threadline.Core.Model;

namespace Threadline.Cli.Tests.Storage;

/// <summary>
/// The embedded engine under SIGKILL: a real <c>serve</c> child takes exports from several
/// senders and is killed at seeded random moments, again and again; after each restart every
/// span whose export was answered 200 is there exactly once, and an export whose answer never
/// came is there whole or not at all.
/// </summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private const int Kills = 50;
    private const int Senders = 3;
    // A bound, not a pause: a life whose server never acknowledges fails the test here.
    private static readonly TimeSpan FirstAcknowledgementTimeout = TimeSpan.FromMinutes(2);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "threadline-crash-" + Guid.NewGuid().ToString("N"));
    private readonly string _config;

    public CrashRecoveryTests()
    {
        Directory.CreateDirectory(_dataDirectory);
        // Small heads, so that kills also land during cuts, with blocks to read back from.
        _config = Path.Combine(_dataDirectory + "-config.json");
        File.WriteAllText(_config, """{ "Threadline": { "Storage": { "Embedded": { "HeadMaxSpans": 400, "Retention": "36500d" } } } }""");
    }

    public void Dispose()
    {
        Directory.Delete(_dataDirectory, recursive: true);
        File.Delete(_config);
    }

    [Fact]
    public async Task Acknowledged_spans_survive_SIGKILL_at_random_moments_exactly_once()
    {
        var random = new Random(20261201);
        var acknowledged = new List<Span[]>();
        var unanswered = new List<Span[]>();
        long nextId = 1;
        var previousLives = 0;

        for (var life = 0; life <= Kills; life++)
        {
            await using var serve = await ServeChild.StartAsync(_dataDirectory, _config);

            // What the previous life acknowledged, plus a sample of everything before (all of it is checked at the end).
            foreach (var trace in acknowledged.Skip(previousLives).Concat(acknowledged.Take(previousLives).OrderBy(_ => random.Next()).Take(3)))
                AssertExactlyOnce(trace, await serve.SpanIdsAsync(trace[0].TraceId), life);
            foreach (var trace in unanswered)
            {
                var ids = await serve.SpanIdsAsync(trace[0].TraceId);
                if (ids.Count > 0) AssertExactlyOnce(trace, ids, life);
            }
            unanswered.Clear();
            previousLives = acknowledged.Count;
            if (life == Kills) break;

            // Senders export until the kill; each export is one trace of a few spans.
            using var stop = new CancellationTokenSource();
            var lifeAcknowledged = new List<Span[]>();
            var lifeUnanswered = new List<Span[]>();
            // The kill waits for this life's first acknowledgement (the event each life is for),
            // then a random moment: on a loaded machine a fixed delay could kill before any export.
            var firstAcknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var senders = Enumerable.Range(0, Senders).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var trace = MakeTrace(Interlocked.Increment(ref nextId), 1 + (int)(nextId % 6));
                    try
                    {
                        using var response = await serve.ExportAsync(trace, CancellationToken.None);
                        lock (lifeAcknowledged) (response.StatusCode == HttpStatusCode.OK ? lifeAcknowledged : lifeUnanswered).Add(trace);
                        if (response.StatusCode == HttpStatusCode.OK) firstAcknowledged.TrySetResult();
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                    {
                        lock (lifeAcknowledged) lifeUnanswered.Add(trace);
                        return;
                    }
                }
            })).ToArray();
            await firstAcknowledged.Task.WaitAsync(FirstAcknowledgementTimeout);
            await Task.Delay(random.Next(0, 150));
            await serve.KillAsync();
            stop.Cancel();
            await Task.WhenAll(senders);
            acknowledged.AddRange(lifeAcknowledged);
            unanswered.AddRange(lifeUnanswered);
        }

        // A final check of everything ever acknowledged.
        await using var last = await ServeChild.StartAsync(_dataDirectory, _config);
        foreach (var trace in acknowledged) AssertExactlyOnce(trace, await last.SpanIdsAsync(trace[0].TraceId), Kills + 1);
        Assert.True(acknowledged.Count > Kills, $"only {acknowledged.Count} exports were acknowledged over {Kills} lives");
    }

    private static void AssertExactlyOnce(Span[] trace, List<string> stored, int life)
    {
        var expected = trace.Select(s => s.SpanId.ToString()).Order(StringComparer.Ordinal);
        Assert.True(expected.SequenceEqual(stored.Order(StringComparer.Ordinal)),
            $"life {life}: trace {trace[0].TraceId} should hold [{string.Join(",", expected)}], holds [{string.Join(",", stored)}]");
    }

    private static Span[] MakeTrace(long id, int spans)
    {
        var traceId = new TraceId(0x7c3a000000000000UL + (ulong)id, unchecked((ulong)id * 0x9E3779B97F4A7C15));
        var resource = new Resource([new("service.name", "crash-" + (id % 4))]);
        var start = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        return [.. Enumerable.Range(0, spans).Select(i => new Span
        {
            TraceId = traceId,
            SpanId = new SpanId(((ulong)id << 8) + (ulong)(i + 1)),
            ParentSpanId = i == 0 ? SpanId.Empty : new SpanId(((ulong)id << 8) + 1),
            Name = "op-" + i,
            Kind = i == 0 ? SpanKind.Server : SpanKind.Client,
            StartTimeUnixNano = start + (ulong)i * 1000,
            EndTimeUnixNano = start + (ulong)i * 1000 + 500_000,
            Attributes = [new("user.id", "u" + id)],
            Resource = resource,
        })];
    }
}
