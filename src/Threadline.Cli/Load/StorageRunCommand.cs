using System.Diagnostics;
using Threadline.CommandLine;

namespace Threadline.Cli.Load;

/// <summary>A storage run as the command line asked for it, checked.</summary>
/// <param name="KeepDataDirectory">The user named the directory: it is theirs, loadgen leaves it.</param>
internal sealed record StorageRunOptions(IReadOnlyList<StorageChoice> Storages, string DataDirectory, bool KeepDataDirectory, long Spans, int Queries, TimeSpan MaxIngest)
{
    public string ClickHouseUrl { get; init; } = "http://127.0.0.1:8123";
    public string Data { get; init; } = "realistic";
    public int Seed { get; init; } = 1;
    public bool Json { get; init; }

    public static StorageRunOptions? Create(string storage, string? dataDirectory, long spans, int queries, TimeSpan maxIngest, out string? problem)
    {
        var storages = StorageChoices.Parse(storage, out problem);
        if (storages is null) return null;
        problem = spans is < 1 or > 1_000_000_000 ? $"--spans must be between 1 and 1000000000; got {spans}."
            : queries is < 0 or > 100_000 ? $"--queries must be between 0 and 100000; got {queries}."
            : dataDirectory is not null && !storages.Contains(StorageChoice.Embedded) ? "--data-dir is the embedded server's: add embedded to --storage."
            : dataDirectory is not null && Directory.Exists(dataDirectory) && Directory.EnumerateFileSystemEntries(dataDirectory).Any()
                ? $"--data-dir {dataDirectory} is not empty; a storage run measures only what it sends, so give an empty or new directory."
            : null;
        if (problem is not null) return null;
        var directory = dataDirectory is null
            ? Path.Combine(Path.GetTempPath(), "threadline-loadgen-" + Path.GetRandomFileName().Replace(".", string.Empty, StringComparison.Ordinal))
            : Path.GetFullPath(dataDirectory);
        return new StorageRunOptions(storages, directory, dataDirectory is not null, spans, queries, maxIngest);
    }
}

/// <summary>
/// <c>threadline loadgen --storage …</c>: generates the data once (the first part before the clock
/// starts), runs it through one server per storage choice and reports ingest, queries, disk and
/// restart figures as a table or JSON.
/// </summary>
internal static class StorageRunCommand
{
    /// <summary>Pregenerated spans at most (about 1 GB of request bodies of realistic data); the rest is generated while sending.</summary>
    public const long PregenerateLimit = 2_000_000;

    public static async Task<int> RunAsync(StorageRunOptions options, LoadProtocol protocol, int concurrency, int spansPerRequest, CancellationToken cancellationToken)
    {
        // With JSON on standard output, the running commentary goes to standard error.
        var progress = options.Json ? Console.Error : Console.Out;
        var database = "threadline_loadgen_" + Path.GetRandomFileName().Replace(".", string.Empty, StringComparison.Ordinal);
        var settings = new StorageRunSettings(protocol, concurrency, spansPerRequest, options.Spans, options.Queries, options.MaxIngest, TimeSpan.FromSeconds(60),
            options.DataDirectory, options.ClickHouseUrl, database);
        var (pregenerated, data, rest) = Prepare(options, spansPerRequest, progress);

        var runs = new List<StorageFigures>();
        try
        {
            foreach (var storage in options.Storages)
            {
                runs.Add(await StorageRun.RunAsync(storage, settings, pregenerated, rest, progress, cancellationToken).ConfigureAwait(false));
            }
        }
        finally
        {
            if (!options.KeepDataDirectory && Directory.Exists(options.DataDirectory)) Directory.Delete(options.DataDirectory, recursive: true);
            if (options.Storages.Contains(StorageChoice.ClickHouse)) await ClickHouseParts.DropDatabaseAsync(options.ClickHouseUrl, database, progress).ConfigureAwait(false);
        }

        if (options.Json)
        {
            await using var stdout = Console.OpenStandardOutput();
            StorageReport.WriteJson(stdout, data, settings, runs);
            await stdout.WriteAsync("\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            StorageReport.WriteTable(Console.Out, data, runs);
        }
        return runs.All(r => r.StoredSpans > 0) ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>The timed part of the data, what the report says about it, and how each server gets the rest.</summary>
    private static (List<LoadRequest> Pregenerated, DataFigures Data, Func<ILoadRequestSource>? Remainder) Prepare(StorageRunOptions options, int spansPerRequest, TextWriter progress)
    {
        var pregenerate = Math.Min(options.Spans, PregenerateLimit);
        progress.WriteLine($"Generating {pregenerate:N0} {options.Data} spans before the clock starts…");
        var clock = Stopwatch.StartNew();
        List<LoadRequest> pregenerated;
        Func<ILoadRequestSource>? rest = null;
        if (options.Data == "realistic")
        {
            var realistic = RealisticDataSettings.ForRunStartingNow(options.Seed);
            pregenerated = PregeneratedRequests.Take(new RealisticRequests(realistic, spansPerRequest, pregenerate), pregenerate);
            var sent = pregenerated.Sum(r => (long)r.Spans);
            if (options.Spans > sent)
            {
                rest = () =>
                {
                    // The same generator again, past the part that was pregenerated: every server gets the same spans.
                    var source = new RealisticRequests(realistic, spansPerRequest, options.Spans);
                    source.Skip(sent);
                    return source;
                };
            }
        }
        else
        {
            var templates = new LoadRequestFactory(spansPerRequest);
            pregenerated = PregeneratedRequests.Take(templates, pregenerate);
            var sent = pregenerated.Sum(r => (long)r.Spans);
            // Later requests of the same factory carry later trace ids, so no server sees a trace twice.
            if (options.Spans > sent) rest = () => new LimitedRequests(templates, options.Spans - sent);
        }
        var elapsed = clock.Elapsed;
        var spans = pregenerated.Sum(r => (long)r.Spans);
        var data = new DataFigures(options.Data, options.Seed, options.Spans, spans, pregenerated.Sum(r => (long)r.Body.Length), spans / Math.Max(elapsed.TotalSeconds, 1e-9));
        progress.WriteLine($"  {spans:N0} spans in {pregenerated.Count:N0} requests, {data.OtlpBytesPerSpan:0} B/span as OTLP protobuf, {elapsed.TotalSeconds:0.0} s ({data.GeneratorSpansPerSecond:N0} spans/s generating and encoding).");
        return (pregenerated, data, rest);
    }
}
