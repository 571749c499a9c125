using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Threadline.Core.Model;
using Threadline.Core.Synthetic;
using Threadline.Pipeline;
using Threadline.Server.Hosting;
using Threadline.Server.Options;
using Threadline.UiBench;

// The UI performance benchmark (issue #12): the real server on loopback with the embedded store, filled with a
// 100,000-span and a 1,000,000-span trace and background traffic, measured in headless Debian chromium.
//   dotnet run -c Release --project bench/Threadline.UiBench -- [--runs 3] [--stored-spans 10000000] [--traces 100000,1000000]
var settings = BenchSettings.Parse(args);
var chromium = Environment.GetEnvironmentVariable("THREADLINE_CHROMIUM") ?? "/usr/bin/chromium";
if (!File.Exists(chromium))
{
    Console.Error.WriteLine($"Chromium was not found at {chromium}: run scripts/ensure-chromium.sh as root, or set THREADLINE_CHROMIUM.");
    return 1;
}

var dataDirectory = Path.Combine(Path.GetTempPath(), "threadline-uibench-" + Guid.NewGuid().ToString("N"));
var options = new ThreadlineOptions();
options.Storage.Engine = settings.Engine;
options.Storage.Embedded.DataDirectory = dataDirectory;
options.Storage.Memory.MaxSpans = (int)Math.Min(int.MaxValue, settings.StoredSpans + settings.TraceSizes.Sum() + 1000);
options.Limits.MaxBytesPerTrace = 4L << 30;
options.Receivers.OtlpGrpcPort = 0;
options.Receivers.OtlpHttpPort = 0;
options.Receivers.ZipkinPort = 0;
options.Api.Port = 0;
options.Tempo.Port = 0;

await using var server = await ThreadlineServer.StartAsync(options);
try
{
    Console.WriteLine($"Server on {server.ApiEndpoint} ({settings.Engine} store in {dataDirectory}); {Environment.ProcessorCount} cores.");
    var loader = new SpanLoader(server.Services.GetRequiredService<IngestQueue>());
    var now = (ulong)(DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
    const ulong minute = 60_000_000_000;

    // Background traffic for the search figure, spread over the 50 minutes before now.
    var background = Math.Max(0, settings.StoredSpans - settings.TraceSizes.Sum());
    if (background > 0)
    {
        var generator = new RealisticTraceGenerator(seed: 12, firstTraceStartUnixNano: now - (50 * minute), meanTraceIntervalNanos: Math.Max(1, 50 * minute / (ulong)Math.Max(1, background / 20)));
        await loader.LoadAsync("background", Batches(generator, background), background, CancellationToken.None);
    }

    var traces = new List<WideTrace>();
    foreach (var (size, i) in settings.TraceSizes.Select((s, i) => (s, i)))
    {
        var trace = new WideTrace(new TraceId(0x7b1d_0000_0000_0000UL + (ulong)i, (ulong)size), size, now - (5 * minute));
        traces.Add(trace);
        await loader.LoadAsync($"trace of {size:N0} spans", trace.Batches(20_000), size, CancellationToken.None);
    }

    using var api = new HttpClient { BaseAddress = server.ApiEndpoint };
    foreach (var trace in traces) await WaitUntilStoredAsync(api, trace);

    using var playwright = await Playwright.CreateAsync();
    var profile = Path.Combine(Path.GetTempPath(), "threadline-uibench-profile-" + Guid.NewGuid().ToString("N"));
    await using var browser = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
    {
        ExecutablePath = chromium,
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
    });

    var results = new Dictionary<string, List<double>>();
    void Record(string name, double value)
    {
        if (!results.TryGetValue(name, out var list)) results[name] = list = [];
        list.Add(value);
        Console.WriteLine($"    {name}: {value:N1}");
    }

    for (var run = 1; run <= settings.Runs; run++)
    {
        Console.WriteLine($"Run {run} of {settings.Runs}");
        foreach (var trace in traces)
        {
            var label = trace.SpanCount >= 1_000_000 ? $"{trace.SpanCount / 1_000_000}M" : $"{trace.SpanCount / 1000}k";
            var figures = await TracePageBench.MeasureAsync(browser, server.ApiEndpoint, trace);
            foreach (var (name, value) in figures) Record($"trace {label}: {name}", value);
        }
        Record($"search ({settings.StoredSpans:N0} spans stored): first results after the query is sent, ms",
            await SearchPageBench.FirstResultsAsync(browser, server.ApiEndpoint, RealisticTraceGenerator.ServiceNames[0]));
    }

    Console.WriteLine();
    Console.WriteLine($"Medians of {settings.Runs} runs (ms):");
    foreach (var (name, values) in results)
    {
        var sorted = values.Order().ToArray();
        Console.WriteLine($"  {name}: median {sorted[sorted.Length / 2]:N1} (min {sorted[0]:N1}, max {sorted[^1]:N1})");
    }
    try { Directory.Delete(profile, recursive: true); } catch (IOException) { }
}
finally
{
    await server.DisposeAsync();
    try { Directory.Delete(dataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
}
return 0;

static IEnumerable<List<Span>> Batches(RealisticTraceGenerator generator, long total)
{
    while (generator.SpansGenerated < total)
    {
        var batch = new List<Span>(10_100);
        generator.FillBatch(batch, 10_000);
        yield return batch;
    }
}

static async Task WaitUntilStoredAsync(HttpClient api, WideTrace trace)
{
    var clock = Stopwatch.StartNew();
    while (true)
    {
        using var response = await api.GetAsync($"/api/v1/traces/{trace.TraceId}/outline?limit=1");
        if (response.IsSuccessStatusCode)
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var count = body.RootElement.GetProperty("spanCount").GetInt32();
            if (count >= trace.SpanCount)
            {
                Console.WriteLine($"  trace {trace.TraceId}: {count:N0} spans readable after {clock.Elapsed.TotalSeconds:N1} s");
                return;
            }
        }
        if (clock.Elapsed > TimeSpan.FromMinutes(10)) throw new TimeoutException($"Trace {trace.TraceId} did not reach {trace.SpanCount:N0} spans within 10 minutes.");
        await Task.Delay(500);
    }
}

internal sealed record BenchSettings(int Runs, long StoredSpans, int[] TraceSizes, string Engine)
{
    public static BenchSettings Parse(string[] args)
    {
        var settings = new BenchSettings(3, 10_000_000, [100_000, 1_000_000], "embedded");
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            settings = args[i] switch
            {
                "--runs" => settings with { Runs = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--stored-spans" => settings with { StoredSpans = long.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                "--traces" => settings with { TraceSizes = args[i + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray() },
                "--engine" => settings with { Engine = args[i + 1] },
                _ => throw new ArgumentException($"Unknown option '{args[i]}'; give --runs N, --stored-spans N, --traces N,N or --engine embedded|memory."),
            };
        }
        return settings;
    }
}
