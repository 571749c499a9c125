using System.Net;
using System.Net.Http.Headers;
using Microsoft.Playwright;
using Threadline.Server.Hosting;
using Threadline.Server.Options;
using Threadline.UiTests.Fixtures;

namespace Threadline.UiTests;

/// <summary>
/// The real server (in memory, free loopback ports) filled with <see cref="UiFixtureTraces"/>, and one headless
/// Debian chromium with a fresh profile, shared by every end-to-end test.
/// </summary>
public sealed class UiEnvironment : IAsyncLifetime
{
    /// <summary>Where Debian's package puts the browser; <c>THREADLINE_CHROMIUM</c> names another.</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("THREADLINE_CHROMIUM") ?? "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private ThreadlineServer? _server;
    private IPlaywright? _playwright;
    private IBrowserContext? _browser;
    private readonly string _profile = Path.Combine(Path.GetTempPath(), "threadline-ui-tests-" + Guid.NewGuid().ToString("N"));

    internal UiFixtureTraces Traces { get; } = new();

    public Uri BaseAddress => _server?.ApiEndpoint ?? throw new InvalidOperationException("The server has not started.");

    public IBrowserContext Browser => _browser ?? throw new InvalidOperationException("Chromium has not started.");

    /// <summary>The repository's <c>artifacts/ui-screenshots/</c>, where each page's screenshot is kept.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(RepositoryRoot(), "artifacts", "ui-screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium was not found at {ChromiumPath}. The UI end-to-end tests need it: run scripts/ensure-chromium.sh as root " +
                "(it installs Debian's chromium package), or set THREADLINE_CHROMIUM to a Chromium binary.");
        }

        var options = new ThreadlineOptions();
        options.Storage.Engine = "memory";
        options.Receivers.OtlpGrpcPort = 0;
        options.Receivers.OtlpHttpPort = 0;
        options.Receivers.ZipkinPort = 0;
        options.Api.Port = 0;
        options.Tempo.Port = 0;
        _server = await ThreadlineServer.StartAsync(options);
        await LoadFixturesAsync();

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchPersistentContextAsync(_profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    private async Task LoadFixturesAsync()
    {
        using var http = new HttpClient();
        await ExportAsync(http, Traces.Build(DateTimeOffset.UtcNow));

        // The receiver answers only after the store accepted the batch, so every trace is readable now.
        foreach (var traceId in Traces.AllTraceIds)
        {
            using var read = await http.GetAsync(new Uri(_server!.ApiEndpoint, $"/api/v1/traces/{traceId}"));
            if (read.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException($"Fixture trace {traceId} was acknowledged but reads {(int)read.StatusCode}.");
        }
        await WaitForDatabaseEdgeAsync(http);
    }

    private async Task ExportAsync(HttpClient http, IEnumerable<(string TraceId, DateTimeOffset Start, IReadOnlyList<FixtureSpan> Spans)> traces)
    {
        using var body = new ByteArrayContent(OtlpTraceBuilder.ExportRequest(traces));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var export = await http.PostAsync(new Uri(_server!.OtlpHttpEndpoint, "/v1/traces"), body);
        if (!export.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The fixture export was refused: {(int)export.StatusCode} {await export.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>
    /// A database call has no server span to pair with: the service graph makes it an edge to a database node
    /// once its pairing wait has passed, checked when a later batch arrives. Small batches keep arriving until
    /// the edge is there, so the map shows every node type.
    /// </summary>
    private async Task WaitForDatabaseEdgeAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        for (var tick = 0; ; tick++)
        {
            using var graph = await http.GetAsync(new Uri(_server!.ApiEndpoint, "/api/v1/service-graph"));
            // Without the route the map tests fail on their own, saying what is missing.
            if (graph.StatusCode == HttpStatusCode.NotFound) return;
            if ((await graph.Content.ReadAsStringAsync()).Contains("db:postgresql", StringComparison.Ordinal)) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The service graph showed no database node within 45 s of the fixtures.");
            var tickTrace = OtlpTraceBuilder.Id(16, $"pairing tick {tick}");
            await ExportAsync(http, [(tickTrace, DateTimeOffset.UtcNow, [new FixtureSpan("frontend", OtlpTraceBuilder.Id(8, $"tick {tick}"), null, "health check", FixtureSpan.KindInternal, TimeSpan.Zero, TimeSpan.FromMilliseconds(1))])]);
            await Task.Delay(1000);
        }
    }

    /// <summary>A new tab on <paramref name="path"/> that records console errors, uncaught exceptions and dialogs.</summary>
    public async Task<WatchedPage> OpenAsync(string path)
    {
        var page = await Browser.NewPageAsync();
        var watched = new WatchedPage(page);
        await page.GotoAsync(new Uri(BaseAddress, path).ToString());
        return watched;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_server is not null) await _server.DisposeAsync();
        try { Directory.Delete(_profile, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Threadline.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No Threadline.slnx above {AppContext.BaseDirectory}: run the tests from the repository.");
    }
}

[CollectionDefinition(Name)]
public sealed class UiCollection : ICollectionFixture<UiEnvironment>
{
    public const string Name = "UI";
}
