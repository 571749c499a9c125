using System.Diagnostics;
using System.Globalization;
using Threadline.Core.Model;
using Threadline.Pipeline;
using Threadline.Pipeline.Sampling.Config;
using Threadline.Pipeline.Sampling.Deciding;
using Threadline.Protocol;
using Threadline.Protocol.Otlp;
using Threadline.Storage.Memory;

namespace Threadline.Cli.Load;

/// <summary>
/// How much the tail sampler holds at a given span rate, in this process, without sockets: the
/// loadgen's spans (ten per trace, root included) are handed to a sampler built from the policy
/// file at the rate asked, paced by the clock, for the run's duration; kept spans are discarded.
/// Reports the rate reached, the sampler's peak held bytes against its cap, and this process's
/// peak working set. Receivers and the store are left out on purpose: they cannot take 200,000
/// spans/s on a small machine, and the question is what holding costs.
/// </summary>
internal static class HeldMemoryRun
{
    private const int BatchSpans = 1_000;
    private const int SpansPerTrace = 10;

    public static async Task<int> RunAsync(string policyFile, int spansPerSecond, TimeSpan duration, CancellationToken cancellationToken)
    {
        var file = PolicyFile.Load(policyFile, new PolicyContext());
        var store = new MemoryTraceStore(new MemoryStoreOptions { KeepAggregates = false });
        await using var sampler = new TailSampler(file.Settings, file.Policies, new Discard(), store, new DroppedSpans(null));
        var templates = Templates();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Held memory: {spansPerSecond:N0} spans/s for {duration.TotalSeconds:0} s into the tail sampler in this process; settle {file.Settings.SettleDelay.TotalSeconds:0.#} s, cap {file.Settings.MaxHeldBytes / (1024.0 * 1024):N0} MiB."));

        var started = Stopwatch.GetTimestamp();
        long sent = 0;
        ulong trace = 0;
        var template = 0;
        while (Stopwatch.GetElapsedTime(started) < duration)
        {
            // Pace: never ahead of the asked rate; catch up at once when behind.
            var due = (double)sent / spansPerSecond;
            var ahead = due - Stopwatch.GetElapsedTime(started).TotalSeconds;
            if (ahead > 0.001) await Task.Delay(TimeSpan.FromSeconds(ahead), cancellationToken).ConfigureAwait(false);
            var batch = Rekey(templates[template++ % templates.Count], ref trace);
            await sampler.ConsumeAsync(batch, cancellationToken).ConfigureAwait(false);
            sent += batch.Length;
        }
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Reached {sent / elapsed:N0} spans/s ({sent:N0} spans). Sampler peak held {sampler.PeakHeldBytes / (1024.0 * 1024):N1} MiB (cap {file.Settings.MaxHeldBytes / (1024.0 * 1024):N0} MiB), held at the end {sampler.HeldBytes / (1024.0 * 1024):N1} MiB in {sampler.HeldTraces:N0} traces; process peak working set {process.PeakWorkingSet64 / (1024.0 * 1024):N0} MiB."));
        return sampler.PeakHeldBytes <= file.Settings.MaxHeldBytes ? 0 : 1;
    }

    private static List<Span[]> Templates()
    {
        var factory = new LoadRequestFactory(BatchSpans);
        var templates = new List<Span[]>();
        for (var i = 0; i < 16; i++)
            templates.Add([.. OtlpProtobufDecoder.DecodeExportRequest(factory.NextBody(), DecodeLimits.Default).Spans]);
        return templates;
    }

    // Fresh trace ids for every trace of the batch, as a live service would send: each run of
    // ten spans is one trace, its first span the root and the others its children.
    private static Span[] Rekey(Span[] template, ref ulong trace)
    {
        var batch = new Span[template.Length];
        var current = TraceId.Empty;
        var root = SpanId.Empty;
        for (var i = 0; i < batch.Length; i++)
        {
            var span = template[i];
            var isRoot = i % SpansPerTrace == 0;
            if (isRoot)
            {
                trace++;
                current = new TraceId(0x9E3779B97F4A7C15 * trace, trace);
                root = span.SpanId;
            }
            batch[i] = new Span
            {
                TraceId = current,
                SpanId = span.SpanId,
                ParentSpanId = isRoot ? SpanId.Empty : root,
                Name = span.Name,
                Kind = span.Kind,
                StartTimeUnixNano = span.StartTimeUnixNano,
                EndTimeUnixNano = span.EndTimeUnixNano,
                Attributes = span.Attributes,
                Events = span.Events,
                Status = span.Status,
                Resource = span.Resource,
                Scope = span.Scope,
            };
        }
        return batch;
    }

    private sealed class Discard : IBatchConsumer
    {
        public ValueTask ConsumeAsync(IReadOnlyList<Span> batch, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
