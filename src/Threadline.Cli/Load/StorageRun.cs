using System.Diagnostics;

namespace Threadline.Cli.Load;

/// <summary>What a storage run does, for every server it starts.</summary>
/// <param name="DataDirectory">Where the embedded engine writes; loadgen deletes it afterwards unless the user named it.</param>
/// <param name="ClickHouseUrl">The ClickHouse server the clickhouse choice writes to.</param>
/// <param name="ClickHouseDatabase">The run's own database on it, dropped afterwards.</param>
internal sealed record StorageRunSettings(
    LoadProtocol Protocol,
    int Concurrency,
    int SpansPerRequest,
    long Spans,
    int Queries,
    TimeSpan MaxIngestDuration,
    TimeSpan QueryBudgetPerKind,
    string DataDirectory,
    string ClickHouseUrl,
    string ClickHouseDatabase);

/// <summary>A restarted server: how long until it was ready and until a stored trace answered.</summary>
internal sealed record RestartFigures(TimeSpan Stop, TimeSpan Ready, TimeSpan? FirstTrace, int Checked, int Missing, long PeakMemoryBytes);

/// <summary>Everything measured for one storage choice.</summary>
/// <param name="Ingest">The pregenerated part, sent as fast as the server takes it: the ingest rate.</param>
/// <param name="Fill">The rest, generated while sending (the generator shares the cores); null when everything was pregenerated.</param>
/// <param name="DiskBytes">The data directory's size after a clean stop (files' lengths summed); null for engines without one.</param>
/// <param name="DiskBytesByDirectory">The same, per top-level entry of the data directory (log, blocks, …).</param>
/// <param name="StoreMetrics">The store's unlabelled <c>threadline_store_*</c> samples from /metrics after ingest.</param>
internal sealed record StorageFigures(
    StorageChoice Storage,
    LoadResult Ingest,
    LoadResult? Fill,
    long PeakMemoryBytes,
    IReadOnlyList<QueryFigures> Queries,
    long? DiskBytes,
    IReadOnlyDictionary<string, long>? DiskBytesByDirectory,
    RestartFigures? Restart,
    IReadOnlyDictionary<string, double> StoreMetrics)
{
    public long StoredSpans => Ingest.AcceptedSpans + (Fill?.AcceptedSpans ?? 0);

    public double? BytesPerSpan => DiskBytes is { } bytes && StoredSpans > 0 ? (double)bytes / StoredSpans : null;
}

/// <summary>
/// One server per storage choice, in turn, on the same data: ingest (a pregenerated part timed,
/// then the rest), queries, then for the embedded engine a clean stop, the size of its data
/// directory and a timed restart on it. Everything on 127.0.0.1, bounded by span count and time.
/// </summary>
internal static class StorageRun
{
    /// <summary>How long a server may take to flush and stop on SIGTERM, or to open its data on restart.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromMinutes(3);

    private static readonly TimeSpan OpenGrace = TimeSpan.FromMinutes(5);

    /// <param name="pregenerated">The timed part of the data, the same bodies for every server.</param>
    /// <param name="rest">The rest of the data for one server, skipping what <paramref name="pregenerated"/> holds; null when there is none.</param>
    public static async Task<StorageFigures> RunAsync(
        StorageChoice storage, StorageRunSettings settings, IReadOnlyList<LoadRequest> pregenerated, Func<ILoadRequestSource>? rest,
        TextWriter progress, CancellationToken cancellationToken)
    {
        var arguments = storage.ServeArguments(settings.Spans, settings);
        progress.WriteLine($"[{storage.Name()}] starting threadline serve {string.Join(' ', arguments)}");
        var server = await ServerProcess.StartAsync(arguments, cancellationToken, OpenGrace).ConfigureAwait(false);
        try
        {
            var target = server.Target(settings.Protocol);
            var deadline = Stopwatch.StartNew();
            var ingest = await LoadRunner.RunAsync(target, new PregeneratedRequests(pregenerated), settings.Concurrency,
                settings.MaxIngestDuration, long.MaxValue, cancellationToken, retryRefused: true).ConfigureAwait(false);
            progress.WriteLine($"[{storage.Name()}] ingest: {ingest.AcceptedSpans:N0} spans in {ingest.Elapsed.TotalSeconds:0.0} s, {ingest.SpansPerSecond:N0} spans/s; {ingest.RefusedRequests:N0} refused, {ingest.FailedRequests:N0} failed ({ingest.TimedOutRequests:N0} timed out)");

            LoadResult? fill = null;
            var left = settings.MaxIngestDuration - deadline.Elapsed;
            if (rest is not null && left > TimeSpan.Zero)
            {
                fill = await LoadRunner.RunAsync(target, rest(), settings.Concurrency, left, long.MaxValue, cancellationToken, retryRefused: true).ConfigureAwait(false);
                progress.WriteLine($"[{storage.Name()}] fill: {fill.AcceptedSpans:N0} more spans in {fill.Elapsed.TotalSeconds:0.0} s, {fill.SpansPerSecond:N0} spans/s (generating while sending)");
            }
            var peak = server.PeakMemoryBytes();
            var metrics = await StoreMetricsSnapshot.ScrapeAsync(server.ApiEndpoint, cancellationToken).ConfigureAwait(false);
            var probes = ingest.Probes.Concat(fill?.Probes ?? []).ToList();

            if (storage == StorageChoice.DecodeOnly || settings.Queries == 0 && storage is not (StorageChoice.Embedded or StorageChoice.ClickHouse))
                return new StorageFigures(storage, ingest, fill, peak, [], null, null, null, metrics);

            List<QueryFigures> queryFigures = [];
            if (settings.Queries > 0)
            {
                using var queries = new QueryPhase(server.ApiEndpoint, probes, settings.Queries, settings.QueryBudgetPerKind, seed: 23);
                progress.WriteLine($"[{storage.Name()}] queries: {settings.Queries} of each kind on {probes.Count:N0} acknowledged traces");
                queryFigures = await queries.RunAsync(cancellationToken).ConfigureAwait(false);
            }
            if (storage == StorageChoice.ClickHouse)
            {
                var tables = await ClickHouseParts.BytesByTableAsync(settings.ClickHouseUrl, settings.ClickHouseDatabase, cancellationToken).ConfigureAwait(false);
                progress.WriteLine($"[{storage.Name()}] {tables.Values.Sum():N0} bytes in system.parts of {settings.ClickHouseDatabase} ({string.Join(", ", tables.Select(e => $"{e.Key} {e.Value:N0}"))})");
                return new StorageFigures(storage, ingest, fill, peak, queryFigures, tables.Values.Sum(), tables, null, metrics);
            }
            if (storage != StorageChoice.Embedded)
                return new StorageFigures(storage, ingest, fill, peak, queryFigures, null, null, null, metrics);

            var stop = await server.StopAsync(StopGrace, cancellationToken).ConfigureAwait(false);
            var byDirectory = SizeByEntry(settings.DataDirectory);
            var disk = byDirectory.Values.Sum();
            progress.WriteLine($"[{storage.Name()}] stopped in {stop.TotalSeconds:0.0} s; {disk:N0} bytes in {settings.DataDirectory} ({string.Join(", ", byDirectory.Select(e => $"{e.Key} {e.Value:N0}"))}); restarting on it");
            var restart = await RestartAsync(arguments, probes, settings, stop, cancellationToken).ConfigureAwait(false);
            return new StorageFigures(storage, ingest, fill, peak, queryFigures, disk, byDirectory, restart, metrics);
        }
        finally
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<RestartFigures> RestartAsync(string[] arguments, List<TraceProbe> probes, StorageRunSettings settings, TimeSpan stop, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var server = await ServerProcess.StartAsync(arguments, cancellationToken, OpenGrace).ConfigureAwait(false);
        var ready = clock.Elapsed;
        using var queries = new QueryPhase(server.ApiEndpoint, probes, settings.Queries, settings.QueryBudgetPerKind, seed: 29);
        TimeSpan? firstTrace = null;
        if (probes.Count > 0 && await queries.WaitForTraceAsync(probes[0], OpenGrace, cancellationToken).ConfigureAwait(false) is not null)
            firstTrace = clock.Elapsed;
        var (checkedCount, missing) = await queries.CountMissingAsync(200, cancellationToken).ConfigureAwait(false);
        var peak = server.PeakMemoryBytes();
        await server.StopAsync(StopGrace, cancellationToken).ConfigureAwait(false);
        return new RestartFigures(stop, ready, firstTrace, checkedCount, missing, peak);
    }

    /// <summary>The summed length of the files under each top-level entry of <paramref name="directory"/> (a file counts as its own entry).</summary>
    public static SortedDictionary<string, long> SizeByEntry(string directory)
    {
        var sizes = new SortedDictionary<string, long>(StringComparer.Ordinal);
        if (!Directory.Exists(directory)) return sizes;
        var root = new DirectoryInfo(directory);
        foreach (var file in root.EnumerateFiles()) sizes[file.Name] = file.Length;
        foreach (var child in root.EnumerateDirectories())
            sizes[child.Name + "/"] = child.EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        return sizes;
    }
}
