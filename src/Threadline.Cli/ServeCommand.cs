using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Threadline.CommandLine;
using Threadline.Server.Hosting;
using Threadline.Server.Options;

namespace Threadline.Cli;

/// <summary>
/// <c>threadline serve</c>: runs the backend until Ctrl+C (or SIGTERM), then drains the queue.
/// Each flag overrides the same setting from the config file or a <c>THREADLINE_</c> variable.
/// </summary>
internal static class ServeCommand
{
    /// <summary>How long a stop may take to drain the ingest queue before queued spans are abandoned.</summary>
    public static readonly TimeSpan ShutdownTimeout = ThreadlineServer.DefaultShutdownTimeout;

    private const string CommandName = ThreadlineCli.ProgramName + " serve";

    public static Command Create()
    {
        var configFile = new Option<FileInfo?>("--config")
        {
            Description = "JSON configuration file with a \"Threadline\" section (and optionally \"Logging\"). Environment variables THREADLINE_… and flags override it.",
            HelpName = "file",
        };
        var command = new Command("serve", "Run the Threadline backend: OTLP gRPC/HTTP and Zipkin receivers, the query API, and the store.")
        {
            configFile,
        };

        // Each setting flag becomes a configuration override, but only when given, so that an
        // absent flag leaves the file's or the environment's value alone.
        var settings = new List<(string Flag, string Key, Func<ParseResult, string?> Read)>();
        void Setting<T>(string name, string key, string description, string helpName)
        {
            var option = new Option<T>(name) { Description = $"{description} [{ThreadlineOptions.SectionName}:{key}]", HelpName = helpName };
            command.Options.Add(option);
            settings.Add((name, key, result => result.GetResult(option) is null
                ? null
                : Convert.ToString(result.GetValue(option), CultureInfo.InvariantCulture)));
        }

        Setting<string>("--listen", "ListenAddress", "IP address every listener binds to; 0.0.0.0 or :: exposes the server on all interfaces (default 127.0.0.1).", "address");
        Setting<int>("--otlp-grpc-port", "Receivers:OtlpGrpcPort", "OTLP/gRPC port, HTTP/2 cleartext (default 4317; 0 picks a free port).", "port");
        Setting<int>("--otlp-http-port", "Receivers:OtlpHttpPort", "OTLP/HTTP port for POST /v1/traces (default 4318; 0 picks a free port).", "port");
        Setting<int>("--zipkin-port", "Receivers:ZipkinPort", "Zipkin v2 port for POST /api/v2/spans (default 9411; 0 picks a free port).", "port");
        Setting<int>("--api-port", "Api:Port", "Query API port (default 16686; 0 picks a free port).", "port");
        Setting<int>("--tempo-port", "Tempo:Port", "Tempo-compatible API port for Grafana, HTTP and gRPC (default 3200; 0 picks a free port).", "port");
        Setting<int>("--max-body-size", "Receivers:MaxRequestBodyBytes", "Largest request body accepted, in bytes after decompression (default 16777216 = 16 MiB).", "bytes");
        Setting<int>("--max-queued-spans", "Ingest:MaxQueuedSpans", "Most spans waiting for the store; beyond it clients get 429 / RESOURCE_EXHAUSTED (default 200000).", "spans");
        Setting<string>("--ingest-mode", "Ingest:Mode", "store (default) queues and stores spans; decode-only decodes, acknowledges and discards them, a baseline for load tests only.", "mode");
        Setting<string>("--storage", "Storage:Engine", "Storage engine: embedded (default; durable, on disk), memory (lost on restart; tests and throwaway runs) or clickhouse (a ClickHouse server or cluster shared by any number of nodes).", "engine");
        Setting<string>("--data-dir", "Storage:Embedded:DataDirectory", "Directory of the embedded engine's log and blocks (default ./data).", "path");
        Setting<string>("--retention", "Storage:Embedded:Retention", "How long the embedded and ClickHouse engines keep spans, e.g. 12h or 30d (default 7d; ClickHouse drops whole days).", "duration");
        Setting<long>("--max-disk-bytes", "Storage:Embedded:MaxDiskBytes", "Most bytes of blocks the embedded engine keeps; the oldest go first past it (default 0, no cap).", "bytes");
        Setting<string>("--tail-sampling", "TailSampling:PolicyFile", "Tail-sampling policy file (the OpenTelemetry Collector's tail_sampling YAML, or JSON); off when not given. See docs/sampling.md.", "file");
        Setting<string>("--sampling-members", "TailSampling:Members", "OTLP/HTTP addresses of every node sampling together, comma-separated; each trace is decided on one of them.", "urls");
        Setting<string>("--sampling-self", "TailSampling:Self", "This node's address as written in --sampling-members.", "url");
        Setting<int>("--memory-max-spans", "Storage:Memory:MaxSpans", "Most spans the memory engine keeps; the oldest traces are evicted past it (default 1000000).", "spans");
        Setting<string>("--clickhouse-url", "Storage:ClickHouse:Url", "HTTP interface of the ClickHouse server this node writes to and reads from (default http://127.0.0.1:8123).", "url");
        Setting<string>("--clickhouse-database", "Storage:ClickHouse:Database", "Database the ClickHouse engine keeps its tables in (default threadline).", "name");
        Setting<string>("--clickhouse-cluster", "Storage:ClickHouse:Cluster", "ClickHouse cluster (remote_servers entry) to spread spans over through Distributed tables; omit for one server.", "name");

        var logLevel = new Option<LogLevel>("--log-level")
        {
            Description = "Lowest level of log messages written to the console.",
            HelpName = "level",
            DefaultValueFactory = _ => LogLevel.Information,
        };
        command.Options.Add(logLevel);

        var demo = new Option<bool>("--demo")
        {
            Description = "Also run the checkout demo (services on 127.0.0.1 with steady traffic) exporting to this server, so traces appear at once.",
        };
        command.Options.Add(demo);

        command.SetAction((parseResult, cancellationToken) =>
        {
            var given = settings
                .Select(setting => (setting.Flag, Key: $"{ThreadlineOptions.SectionName}:{setting.Key}", Value: setting.Read(parseResult)))
                .Where(setting => setting.Value is not null)
                .ToList();
            // One --retention for whichever durable engine runs: it sets the ClickHouse key too.
            given.AddRange(given.Where(setting => setting.Flag == "--retention").ToList()
                .Select(setting => (setting.Flag, Key: $"{ThreadlineOptions.SectionName}:Storage:ClickHouse:Retention", setting.Value)));
            var flags = given.Select(setting => new KeyValuePair<string, string?>(setting.Key, setting.Value)).ToList();
            var flagNames = given.ToDictionary(setting => setting.Key, setting => setting.Flag, StringComparer.OrdinalIgnoreCase);
            return RunAsync(parseResult.GetValue(configFile)?.FullName, flags, flagNames, parseResult.GetValue(logLevel), parseResult.GetValue(demo), parseResult.InvocationConfiguration, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(
        string? configFile,
        IEnumerable<KeyValuePair<string, string?>> flags,
        IReadOnlyDictionary<string, string> flagNames,
        LogLevel logLevel,
        bool withDemo,
        InvocationConfiguration console,
        CancellationToken cancellationToken)
    {
        IConfigurationRoot configuration;
        ThreadlineOptions options;
        try
        {
            configuration = ThreadlineConfiguration.Build(configFile, Environment.GetEnvironmentVariables(), flags);
            options = ThreadlineConfiguration.Bind(configuration);
        }
        catch (OptionsValidationException ex)
        {
            await ReportConfigurationErrorsAsync(ex.Failures.Select(failure => ByFlag(failure, flagNames)).ToList(), console.Error).ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        ThreadlineServer server;
        try
        {
            server = await ThreadlineServer.StartAsync(options, services => AddConsoleLogging(services, configuration, logLevel), cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            // Kestrel reports a port in use (or an address not on this machine) as an IOException.
            await console.Error.WriteLineAsync($"{CommandName}: could not listen: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Success;
        }

        await using (server.ConfigureAwait(false))
        {
            await console.Output.WriteLineAsync(ReadyMessage.Format(server.OtlpGrpcEndpoint, server.OtlpHttpEndpoint, server.ZipkinEndpoint, server.ApiEndpoint, server.TempoEndpoint)).ConfigureAwait(false);
            // Flushed even when a stop is already requested: the line is the promise that the server was up.
            await console.Output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            var demo = withDemo ? await StartDemoAsync(server, console).ConfigureAwait(false) : null;
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM: fall through to the graceful stop.
            }
            // The demo stops first so its last spans reach the server before the queue drains.
            if (demo is not null) await demo.DisposeAsync().ConfigureAwait(false);
            using var drain = new CancellationTokenSource(ShutdownTimeout);
            await server.StopAsync(drain.Token).ConfigureAwait(false);
        }
        return ExitCodes.Success;
    }

    private static async Task<DemoProgram?> StartDemoAsync(ThreadlineServer server, InvocationConfiguration console)
    {
        try
        {
            var demo = DemoProgram.StartSupervised(server.OtlpGrpcEndpoint);
            await console.Output.WriteLineAsync($"Demo: its traces will appear at {new Uri(server.ApiEndpoint, "/api/v1/search?service=api-gateway")}").ConfigureAwait(false);
            // The backend stays up without the demo; say so if the demo ends by itself.
            _ = demo.Exited.ContinueWith(
                _ =>
                {
                    if (!demo.Stopping) console.Error.WriteLine($"{CommandName} --demo: the demo exited with code {demo.ExitCode}; the server keeps running.");
                },
                TaskScheduler.Default);
            return demo;
        }
        catch (Exception exception) when (exception is InvalidOperationException or FileNotFoundException or System.ComponentModel.Win32Exception)
        {
            await console.Error.WriteLineAsync($"{CommandName} --demo: the demo did not start: {exception.Message}").ConfigureAwait(false);
            return null;
        }
    }

    // A problem with a setting given as a flag is named by the flag, as the user typed it.
    private static string ByFlag(string failure, IReadOnlyDictionary<string, string> flagNames)
    {
        var space = failure.IndexOf(' ', StringComparison.Ordinal);
        return space > 0 && flagNames.TryGetValue(failure[..space], out var flag) ? flag + failure[space..] : failure;
    }

    // One problem is one line, as every usage error; several are all listed, so that one run finds them all.
    private static async Task ReportConfigurationErrorsAsync(IReadOnlyList<string> failures, TextWriter error)
    {
        if (failures.Count == 1)
        {
            await error.WriteLineAsync($"{CommandName}: {failures[0]}").ConfigureAwait(false);
            return;
        }
        await error.WriteLineAsync($"{CommandName}: the configuration has {failures.Count} problems:").ConfigureAwait(false);
        foreach (var failure in failures) await error.WriteLineAsync("  - " + failure).ConfigureAwait(false);
    }

    private static void AddConsoleLogging(IServiceCollection services, IConfiguration configuration, LogLevel logLevel) =>
        services.AddLogging(logging =>
        {
            logging.ClearProviders();
            logging.SetMinimumLevel(logLevel);
            // Framework chatter (routing, Kestrel connection events) only when something is wrong,
            // unless the config file's Logging section says otherwise.
            logging.AddFilter("Microsoft", LogLevel.Warning);
            // A failed start (a port in use) is thrown to this command, which prints one line;
            // the host's own multi-line report of it would only repeat that.
            logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
            logging.AddConfiguration(configuration.GetSection("Logging"));
            logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.UseUtcTimestamp = true;
                console.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        });
}
