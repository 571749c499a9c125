using System.CommandLine;
using System.Globalization;
using System.Net;
using Threadline.Cli.Load;
using Threadline.CommandLine;

namespace Threadline.Cli;

/// <summary>
/// <c>threadline loadgen</c>: concurrent OTLP/HTTP protobuf clients against a Threadline server on
/// this machine, for a bounded time and request count. Without <c>--target</c> it starts its own
/// servers and measures, in the same run, the full path (memory store) and a decode-and-discard
/// receiver, so the ratio shows what queueing and storing cost.
/// </summary>
internal static class LoadgenCommand
{
    private static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(10);

    public static Command Create()
    {
        var target = new Option<Uri?>("--target")
        {
            Description = "OTLP/HTTP traces endpoint of a running server, e.g. http://127.0.0.1:4318/v1/traces. Loopback only. Without it, loadgen starts its own servers and compares the memory store with a decode-only receiver.",
            HelpName = "url",
            // System.CommandLine cannot convert text to Uri by itself; this also says what was wrong.
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
                if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                {
                    result.AddError($"--target must be an http:// URL such as http://127.0.0.1:4318/v1/traces; got '{text}'.");
                    return null;
                }
                if (!IsLoopback(uri))
                {
                    result.AddError($"--target must be on this machine (127.0.0.0/8, ::1 or localhost); got {uri.Host}.");
                    return null;
                }
                return uri;
            },
        };
        var duration = new Option<double>("--duration") { Description = "Seconds of measured load per server (at most 600).", DefaultValueFactory = _ => 15, HelpName = "seconds" };
        var warmup = new Option<double>("--warmup") { Description = "Seconds of unmeasured load first, so the server is jitted and warm.", DefaultValueFactory = _ => 3, HelpName = "seconds" };
        var concurrency = new Option<int>("--concurrency") { Description = "Concurrent clients (connections).", DefaultValueFactory = _ => 16, HelpName = "clients" };
        var spansPerRequest = new Option<int>("--spans-per-request") { Description = "Spans in each export request (10 per trace).", DefaultValueFactory = _ => 100, HelpName = "spans" };
        var maxRequests = new Option<long>("--max-requests") { Description = "Stop after this many requests per measured run, even if time is left.", DefaultValueFactory = _ => 2_000_000, HelpName = "count" };
        var rounds = new Option<int>("--rounds") { Description = "Repeat the comparison this many times and report medians (the machine is shared and noisy).", DefaultValueFactory = _ => 1, HelpName = "count" };

        var command = new Command("loadgen", "Generate bounded OTLP/HTTP load against Threadline on 127.0.0.1 and report spans/s, latency and server peak memory.")
        {
            target, duration, warmup, concurrency, spansPerRequest, maxRequests, rounds,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var settings = new LoadSettings(
                TimeSpan.FromSeconds(parseResult.GetValue(duration)),
                TimeSpan.FromSeconds(parseResult.GetValue(warmup)),
                parseResult.GetValue(concurrency),
                parseResult.GetValue(spansPerRequest),
                parseResult.GetValue(maxRequests),
                parseResult.GetValue(rounds));
            var problem = settings.Validate();
            if (problem is not null)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync(UsageErrors.Line("threadline loadgen", problem)).ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var targetUri = parseResult.GetValue(target);
            if (targetUri is not null) return await RunAgainstTargetAsync(targetUri, settings, cancellationToken).ConfigureAwait(false);
            return await CompareAsync(settings, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private sealed record LoadSettings(TimeSpan Duration, TimeSpan Warmup, int Concurrency, int SpansPerRequest, long MaxRequests, int Rounds)
    {
        public string? Validate() =>
            Duration <= TimeSpan.Zero || Duration > MaxDuration ? $"--duration must be between 0 and {MaxDuration.TotalSeconds} seconds."
            : Warmup < TimeSpan.Zero || Warmup > MaxDuration ? "--warmup must be between 0 and 600 seconds."
            : Concurrency is < 1 or > 1024 ? "--concurrency must be between 1 and 1024."
            : SpansPerRequest is < 1 or > 10_000 ? "--spans-per-request must be between 1 and 10000."
            : MaxRequests < 1 ? "--max-requests must be at least 1."
            : Rounds is < 1 or > 20 ? "--rounds must be between 1 and 20."
            : null;
    }

    private static async Task<int> RunAgainstTargetAsync(Uri target, LoadSettings settings, CancellationToken cancellationToken)
    {
        var requests = new LoadRequestFactory(settings.SpansPerRequest);
        Console.WriteLine($"Load: {settings.Concurrency} clients, {settings.SpansPerRequest} spans ({requests.BodyBytes:N0} bytes) per request, {settings.Duration.TotalSeconds:0.#} s against {target}");
        await LoadRunner.RunAsync(target, requests, settings.Concurrency, settings.Warmup, settings.MaxRequests, cancellationToken).ConfigureAwait(false);
        var result = await LoadRunner.RunAsync(target, requests, settings.Concurrency, settings.Duration, settings.MaxRequests, cancellationToken).ConfigureAwait(false);
        PrintHeader();
        PrintRow("target", result, peakMemoryBytes: null);
        return result.AcceptedRequests > 0 ? 0 : 1;
    }

    private static async Task<int> CompareAsync(LoadSettings settings, CancellationToken cancellationToken)
    {
        var requests = new LoadRequestFactory(settings.SpansPerRequest);
        Console.WriteLine($"Load: {settings.Concurrency} clients, {settings.SpansPerRequest} spans ({requests.BodyBytes:N0} bytes) per request, {settings.Duration.TotalSeconds:0.#} s per server, {settings.Rounds} round(s), {Environment.ProcessorCount} cores");
        Console.WriteLine("Servers: `threadline serve` child processes on 127.0.0.1 (memory store, and a decode-only receiver as the baseline).");

        var modes = new (string Name, string[] Arguments)[]
        {
            ("decode-only", ["--ingest-mode", "decode-only"]),
            ("memory store", ["--storage", "memory"]),
        };
        var results = modes.ToDictionary(m => m.Name, _ => new List<(LoadResult Result, long PeakMemory)>());

        PrintHeader();
        for (var round = 0; round < settings.Rounds; round++)
        {
            foreach (var (name, arguments) in modes)
            {
                await using var server = await ServerProcess.StartAsync(arguments, cancellationToken).ConfigureAwait(false);
                await LoadRunner.RunAsync(server.TracesEndpoint, requests, settings.Concurrency, settings.Warmup, settings.MaxRequests, cancellationToken).ConfigureAwait(false);
                var result = await LoadRunner.RunAsync(server.TracesEndpoint, requests, settings.Concurrency, settings.Duration, settings.MaxRequests, cancellationToken).ConfigureAwait(false);
                var peak = server.PeakMemoryBytes();
                results[name].Add((result, peak));
                PrintRow(name, result, peak);
            }
        }

        var baseline = Median(results["decode-only"].Select(r => r.Result.SpansPerSecond));
        var full = Median(results["memory store"].Select(r => r.Result.SpansPerSecond));
        Console.WriteLine();
        Console.WriteLine($"Median spans/s: memory store {full:N0}, decode-only {baseline:N0}; ratio {full / baseline:P0} of the decode-only baseline.");
        Console.WriteLine($"Median server peak memory: memory store {Median(results["memory store"].Select(r => (double)r.PeakMemory)) / (1024 * 1024):N0} MiB, decode-only {Median(results["decode-only"].Select(r => (double)r.PeakMemory)) / (1024 * 1024):N0} MiB.");
        return 0;
    }

    private static void PrintHeader() =>
        Console.WriteLine($"{"server",-14} {"spans/s",12} {"requests",10} {"refused",8} {"failed",7} {"p50 ms",8} {"p99 ms",8} {"peak MiB",9}");

    private static void PrintRow(string name, LoadResult result, long? peakMemoryBytes) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-14} {result.SpansPerSecond,12:N0} {result.AcceptedRequests,10:N0} {result.RefusedRequests,8:N0} {result.FailedRequests,7:N0} {result.LatencyP50Ms,8:0.0} {result.LatencyP99Ms,8:0.0} {(peakMemoryBytes is { } peak ? (peak / (1024.0 * 1024)).ToString("N0", CultureInfo.InvariantCulture) : "-"),9}"));

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
