using System.CommandLine;
using System.Globalization;
using System.Net;
using Threadline.Cli.Load;
using Threadline.CommandLine;

namespace Threadline.Cli;

/// <summary>
/// <c>threadline loadgen</c>: concurrent OTLP/HTTP protobuf (or, with <c>--protocol grpc</c>,
/// OTLP/gRPC) clients against a Threadline server on this machine, for a bounded time and request
/// count. Without <c>--target</c> it starts its own servers and measures them in the same run, over
/// either protocol: the full path (memory store) against a decode-and-discard server, so the ratio
/// shows what queueing and storing cost.
/// </summary>
internal static class LoadgenCommand
{
    private static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(10);

    /// <summary>A storage run's ingest may take longer: ten million spans on two shared cores.</summary>
    private static readonly TimeSpan StorageRunMaxDuration = TimeSpan.FromHours(1);

    public static Command Create()
    {
        var target = new Option<Uri?>("--target")
        {
            Description = "A running server on this machine: its OTLP/HTTP traces URL, e.g. http://127.0.0.1:4318/v1/traces, or with --protocol grpc its OTLP/gRPC address, e.g. http://127.0.0.1:4317. Loopback only. Without it, loadgen starts its own servers and compares them.",
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
        var duration = new Option<double>("--duration") { Description = "Seconds of measured load per server (at most 600); in a storage run, the most seconds of ingest per server (default 600, at most 3600).", DefaultValueFactory = _ => 15, HelpName = "seconds" };
        var warmup = new Option<double>("--warmup") { Description = "Seconds of unmeasured load first, so the server is jitted and warm.", DefaultValueFactory = _ => 3, HelpName = "seconds" };
        var concurrency = new Option<int>("--concurrency") { Description = "Concurrent clients (connections).", DefaultValueFactory = _ => 16, HelpName = "clients" };
        var spansPerRequest = new Option<int>("--spans-per-request") { Description = "Spans in each export request (10 per trace).", DefaultValueFactory = _ => 100, HelpName = "spans" };
        var maxRequests = new Option<long>("--max-requests") { Description = "Stop after this many requests per measured run, even if time is left.", DefaultValueFactory = _ => 2_000_000, HelpName = "count" };
        var protocol = new Option<LoadProtocol>("--protocol")
        {
            Description = "http: OTLP/HTTP protobuf; grpc: OTLP/gRPC over HTTP/2 cleartext.",
            DefaultValueFactory = _ => LoadProtocol.Http,
            HelpName = "http|grpc",
        };
        var rounds = new Option<int>("--rounds") { Description = "Repeat the comparison this many times and report medians (the machine is shared and noisy).", DefaultValueFactory = _ => 1, HelpName = "count" };
        var data = new Option<string?>("--data") { Description = "templates: 16 pre-encoded requests with fresh trace ids (receiver throughput); realistic: a seeded web shop's traces, every span new (storage figures). Default: realistic for a storage run, templates otherwise.", HelpName = "templates|realistic" };
        var storage = new Option<string?>("--storage") { Description = "A storage run: one server per choice, in turn, on the same data: decode-only (the baseline), memory, embedded, clickhouse, comma-separated. Ingest, queries, and for embedded disk bytes per span and restart time; for clickhouse bytes per span from system.parts.", HelpName = "choices" };
        var clickHouseUrl = new Option<string>("--clickhouse-url") { Description = "The ClickHouse server (HTTP interface, on 127.0.0.1) of a storage run with clickhouse; the run uses a database of its own and drops it afterwards.", DefaultValueFactory = _ => "http://127.0.0.1:8123", HelpName = "url" };
        var dataDir = new Option<string?>("--data-dir") { Description = "The embedded server's data directory in a storage run; must be empty or absent, and is kept. Default: a new directory under the temp folder, deleted afterwards.", HelpName = "path" };
        var spans = new Option<long?>("--spans") { Description = "A storage run's total spans per server (default 1000000); the first 2000000 are generated before the clock starts.", HelpName = "count" };
        var queries = new Option<int?>("--queries") { Description = "Queries of each kind after ingest in a storage run (default 100; 0 skips the query phase).", HelpName = "count" };
        var seed = new Option<int>("--seed") { Description = "Seed of the realistic data: the same seed gives the same traces.", DefaultValueFactory = _ => 1, HelpName = "number" };
        var tailSampling = new Option<FileInfo?>("--tail-sampling") { Description = "Compare ingest into the memory store with tail sampling off and on (this policy file), in the same run; reports the sampler's peak held bytes.", HelpName = "file" };
        var heldMemoryRate = new Option<int?>("--held-memory-rate") { Description = "With --tail-sampling: instead of the server comparison, hand this many spans/s straight to a sampler in this process for --duration seconds and report its peak held bytes and the process's peak memory.", HelpName = "spans/s" };
        var output = new Option<string>("--output") { Description = "table (default) or json: a storage run's figures as JSON on standard output, progress on standard error.", DefaultValueFactory = _ => "table", HelpName = "table|json" };

        var command = new Command("loadgen", "Generate bounded OTLP/HTTP or OTLP/gRPC load against Threadline on 127.0.0.1 and report spans/s, latency and server peak memory.")
        {
            target, protocol, duration, warmup, concurrency, spansPerRequest, maxRequests, rounds,
            data, storage, dataDir, clickHouseUrl, spans, queries, seed, output, tailSampling, heldMemoryRate,
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
            var storageText = parseResult.GetValue(storage);
            var isStorageRun = storageText is not null || parseResult.GetValue(spans) is not null || parseResult.GetValue(queries) is not null;
            var problem = settings.Validate(isStorageRun ? StorageRunMaxDuration : MaxDuration);
            if (problem is not null)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync(UsageErrors.Line("threadline loadgen", problem)).ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var targetUri = parseResult.GetValue(target);
            var transport = parseResult.GetValue(protocol);
            var dataText = parseResult.GetValue(data) ?? (isStorageRun ? "realistic" : "templates");
            var outputText = parseResult.GetValue(output) ?? "table";
            problem = dataText is not ("templates" or "realistic") ? $"--data takes templates or realistic; got '{dataText}'."
                : outputText is not ("table" or "json") ? $"--output takes table or json; got '{outputText}'."
                : !isStorageRun && parseResult.GetValue(dataDir) is not null ? "--data-dir belongs to a storage run: add --storage embedded."
                : !isStorageRun && outputText == "json" ? "--output json is for a storage run: add --storage."
                : isStorageRun && targetUri is not null ? "--storage, --spans and --queries start their own servers; drop --target."
                : parseResult.GetValue(tailSampling) is not null && (isStorageRun || targetUri is not null) ? "--tail-sampling starts its own servers; drop --target and --storage."
                : parseResult.GetValue(tailSampling) is { Exists: false } missing ? $"--tail-sampling: the policy file '{missing.FullName}' does not exist."
                : parseResult.GetValue(heldMemoryRate) is { } rate && (rate is < 1 or > 10_000_000 || parseResult.GetValue(tailSampling) is null) ? "--held-memory-rate takes 1-10000000 spans/s, with --tail-sampling FILE."
                : null;
            if (problem is null && isStorageRun)
            {
                var run = StorageRunOptions.Create(
                    storageText ?? StorageChoice.Embedded.Name(), parseResult.GetValue(dataDir), parseResult.GetValue(spans) ?? 1_000_000, parseResult.GetValue(queries) ?? 100,
                    parseResult.GetResult(duration) is { Implicit: false } ? settings.Duration : MaxDuration, out problem);
                if (run is not null)
                    return await StorageRunCommand.RunAsync(run with { Data = dataText, Seed = parseResult.GetValue(seed), Json = outputText == "json", ClickHouseUrl = parseResult.GetValue(clickHouseUrl)! }, transport, settings.Concurrency, settings.SpansPerRequest, cancellationToken).ConfigureAwait(false);
            }
            if (problem is not null)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync(UsageErrors.Line("threadline loadgen", problem)).ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            ILoadRequestSource requests = dataText == "realistic"
                ? new RealisticRequests(RealisticDataSettings.ForRunStartingNow(parseResult.GetValue(seed)), settings.SpansPerRequest, long.MaxValue)
                : new LoadRequestFactory(settings.SpansPerRequest);
            if (targetUri is not null) return await RunAgainstTargetAsync(new LoadTarget(transport, targetUri), requests, settings, cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(heldMemoryRate) is { } heldRate)
                return await HeldMemoryRun.RunAsync(parseResult.GetValue(tailSampling)!.FullName, heldRate, settings.Duration, cancellationToken).ConfigureAwait(false);
            var modes = parseResult.GetValue(tailSampling) is { } policyFile ? TailSamplingModes(policyFile.FullName) : Modes;
            return await CompareAsync(transport, requests, settings, modes, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private sealed record LoadSettings(TimeSpan Duration, TimeSpan Warmup, int Concurrency, int SpansPerRequest, long MaxRequests, int Rounds)
    {
        public string? Validate(TimeSpan maxDuration) =>
            Duration <= TimeSpan.Zero || Duration > maxDuration ? $"--duration must be between 0 and {maxDuration.TotalSeconds} seconds{(maxDuration == MaxDuration ? "" : " in a storage run")}."
            : Warmup < TimeSpan.Zero || Warmup > MaxDuration ? "--warmup must be between 0 and 600 seconds."
            : Concurrency is < 1 or > 1024 ? "--concurrency must be between 1 and 1024."
            : SpansPerRequest is < 1 or > 10_000 ? "--spans-per-request must be between 1 and 10000."
            : MaxRequests < 1 ? "--max-requests must be at least 1."
            : Rounds is < 1 or > 20 ? "--rounds must be between 1 and 20."
            : null;
    }

    private static async Task<int> RunAgainstTargetAsync(LoadTarget target, ILoadRequestSource requests, LoadSettings settings, CancellationToken cancellationToken)
    {
        Console.WriteLine($"Load: {settings.Concurrency} clients, {Describe(requests, settings.SpansPerRequest)} per request, {settings.Duration.TotalSeconds:0.#} s against {target}");
        await LoadRunner.RunAsync(target, requests, settings.Concurrency, settings.Warmup, settings.MaxRequests, cancellationToken).ConfigureAwait(false);
        var result = await LoadRunner.RunAsync(target, requests, settings.Concurrency, settings.Duration, settings.MaxRequests, cancellationToken).ConfigureAwait(false);
        PrintHeader();
        PrintRow("target", result, peakMemoryBytes: null);
        return result.AcceptedRequests > 0 ? 0 : 1;
    }

    /// <summary>A server to measure: its name in the table and its <c>serve</c> flags.</summary>
    private sealed record ServerMode(string Name, string[] Arguments);

    /// <summary>The servers compared, over either protocol; the first is the baseline.</summary>
    private static readonly ServerMode[] Modes =
    [
        // The memory engine named, so that the baseline never opens a data directory.
        new("decode-only", ["--ingest-mode", "decode-only", "--storage", "memory"]),
        new("memory store", ["--storage", "memory"]),
    ];

    /// <summary>Tail sampling off (the baseline) and on, both into the memory store.</summary>
    private static ServerMode[] TailSamplingModes(string policyFile) =>
    [
        new("memory store", ["--storage", "memory"]),
        new("tail sampling", ["--storage", "memory", "--tail-sampling", policyFile]),
    ];

    private static async Task<int> CompareAsync(LoadProtocol protocol, ILoadRequestSource requests, LoadSettings settings, ServerMode[] modes, CancellationToken cancellationToken)
    {
        Console.WriteLine($"Load: {settings.Concurrency} clients, {Describe(requests, settings.SpansPerRequest)} per request over {(protocol == LoadProtocol.Grpc ? "OTLP/gRPC" : "OTLP/HTTP")}, {settings.Duration.TotalSeconds:0.#} s per server, {settings.Rounds} round(s), {Environment.ProcessorCount} cores");
        Console.WriteLine($"Servers: `threadline serve` child processes on 127.0.0.1: {string.Join(", ", modes.Select(m => m.Name))} (the first is the baseline).");

        var results = modes.ToDictionary(m => m.Name, _ => new List<(LoadResult Result, long PeakMemory)>());

        PrintHeader();
        for (var round = 0; round < settings.Rounds; round++)
        {
            foreach (var mode in modes)
            {
                await using var server = await ServerProcess.StartAsync(mode.Arguments, cancellationToken).ConfigureAwait(false);
                var target = server.Target(protocol);
                await LoadRunner.RunAsync(target, requests, settings.Concurrency, settings.Warmup, settings.MaxRequests, cancellationToken).ConfigureAwait(false);
                var result = await LoadRunner.RunAsync(target, requests, settings.Concurrency, settings.Duration, settings.MaxRequests, cancellationToken).ConfigureAwait(false);
                var peak = server.PeakMemoryBytes();
                results[mode.Name].Add((result, peak));
                PrintRow(mode.Name, result, peak);
                var sampling = await StoreMetricsSnapshot.ScrapeAsync(server.ApiEndpoint, "threadline_sampling_", cancellationToken).ConfigureAwait(false);
                if (sampling.TryGetValue("threadline_sampling_peak_held_bytes", out var held))
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"",-16} sampler peak held {held / (1024 * 1024):N1} MiB, held now {sampling.GetValueOrDefault("threadline_sampling_held_bytes") / (1024 * 1024):N1} MiB"));
            }
        }

        var (baseline, other) = (modes[0].Name, modes[1].Name);
        var baselineRate = Median(results[baseline].Select(r => r.Result.SpansPerSecond));
        var otherRate = Median(results[other].Select(r => r.Result.SpansPerSecond));
        Console.WriteLine();
        Console.WriteLine($"Median spans/s: {other} {otherRate:N0}, {baseline} {baselineRate:N0}; ratio {otherRate / baselineRate:P0} of the {baseline} baseline.");
        Console.WriteLine($"Median server peak memory: {other} {Median(results[other].Select(r => (double)r.PeakMemory)) / (1024 * 1024):N0} MiB, {baseline} {Median(results[baseline].Select(r => (double)r.PeakMemory)) / (1024 * 1024):N0} MiB.");
        return 0;
    }

    private static string Describe(ILoadRequestSource requests, int spansPerRequest) => requests is LoadRequestFactory templates
        ? $"{spansPerRequest} template spans ({templates.BodyBytes:N0} bytes)"
        : $"at least {spansPerRequest} realistic spans (whole traces, generated while sending)";

    private static void PrintHeader() =>
        Console.WriteLine($"{"server",-16} {"spans/s",12} {"requests",10} {"refused",8} {"failed",7} {"p50 ms",8} {"p99 ms",8} {"peak MiB",9}");

    private static void PrintRow(string name, LoadResult result, long? peakMemoryBytes) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-16} {result.SpansPerSecond,12:N0} {result.AcceptedRequests,10:N0} {result.RefusedRequests,8:N0} {result.FailedRequests,7:N0} {result.LatencyP50Ms,8:0.0} {result.LatencyP99Ms,8:0.0} {(peakMemoryBytes is { } peak ? (peak / (1024.0 * 1024)).ToString("N0", CultureInfo.InvariantCulture) : "-"),9}"));

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
