using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Threadline.Sdk;
using Threadline.Sdk.Export.Otlp;

namespace Threadline.Demo.Hosting;

/// <summary>
/// Runs one <see cref="ServiceApplication"/> in this process: tracing with Threadline.Sdk, Kestrel on
/// 127.0.0.1, a shared HttpClient, and either the launcher handshake or a plain run until Ctrl+C.
/// </summary>
internal static class ServiceHost
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(ServiceApplication service, DemoServiceOptions options, CancellationToken cancellationToken)
    {
        var supervisor = options.Supervised ? SupervisorLink.Open() : null;

        // Tracing starts before the host and the HttpClient are built: both capture the installed
        // propagator when they are built. Disposed last, so that it exports what the stop produced.
        await using var tracing = service.IsTraced ? StartTracing(service.Name, options, ExportFailureReporter(service.Name, options, supervisor)) : null;

        var endpoints = new ServiceEndpoints();
        var peers = new PeerDirectory(options.Peers);
        var builder = WebApplication.CreateSlimBuilder();
        ConfigureLogging(builder.Logging, builder.Services);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port));
        builder.Services.AddSingleton(options).AddSingleton(endpoints).AddSingleton(peers).AddSingleton(CreateHttpClient());
        // Server spans named after the route ("POST /orders"), with http.route, status code and errors.
        if (service.IsTraced) builder.Services.AddThreadlineAspNetCore();
        service.ConfigureServices(builder.Services);

        await using var app = builder.Build();
        service.MapEndpoints(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        endpoints.Add(service.Name, new Uri(app.Urls.First()));

        // Ctrl+C and SIGTERM reach both the command (the token) and the host (ApplicationStopping).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, app.Lifetime.ApplicationStopping);
        try
        {
            if (supervisor is not null)
            {
                SupervisorLink.Send(SupervisorMessage.Listening(service.Name, endpoints.Snapshot()));
                var reply = await supervisor.ReceiveAsync(stop.Token).ConfigureAwait(false);
                peers.Replace(reply.Endpoints ?? []);
                SupervisorLink.Send(SupervisorMessage.Ready(service.Name));
                await supervisor.Closed.WaitAsync(stop.Token).ConfigureAwait(false);
            }
            else
            {
                foreach (var (name, address) in endpoints.Snapshot())
                    Console.WriteLine($"{service.Name}: {name} on {address}");
                await Task.Delay(Timeout.InfiniteTimeSpan, stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Asked to stop: fall through to the graceful stop.
        }

        using var stopTimeout = new CancellationTokenSource(StopTimeout);
        await app.StopAsync(stopTimeout.Token).ConfigureAwait(false);
    }

    // A failed export goes to the launcher, which tells the user once for all services; run alone,
    // the service tells the user itself, on standard error.
    private static Action<string> ExportFailureReporter(string serviceName, DemoServiceOptions options, SupervisorLink? supervisor)
    {
        if (supervisor is not null) return detail => SupervisorLink.Send(SupervisorMessage.ExportFailed(serviceName, detail));
        var log = new ExportFailureLog(Console.Error, options.OtlpEndpoint, TimeProvider.System);
        return detail => log.Report(serviceName, detail);
    }

    private static TracingSession StartTracing(string serviceName, DemoServiceOptions options, Action<string> exportFailed) =>
        ThreadlineTracing.Start(tracing =>
        {
            tracing.ServiceName = serviceName;
            tracing.ServiceVersion = DemoTelemetry.ServiceVersion;
            tracing.DeploymentEnvironment = "demo";
            tracing.ResourceAttributes["service.namespace"] = "threadline-demo";
            tracing.AddSource(DemoTelemetry.SourcePattern);
            // A demo should show its traffic within a second or two, not after the specification's five.
            tracing.Batch.ScheduledDelay = TimeSpan.FromSeconds(1);
            // Stopping waits this long at most for an unreachable backend, so a stopped demo is gone promptly.
            tracing.ShutdownTimeout = TimeSpan.FromSeconds(5);
            tracing.UseOtlpExporter(otlp =>
            {
                otlp.Endpoint = options.OtlpEndpoint;
                otlp.Protocol = options.OtlpProtocol;
                otlp.OnDiagnostic = diagnostic =>
                {
                    if (diagnostic.Kind == OtlpDiagnosticKind.ExportFailed) exportFailed(diagnostic.Message);
                };
            });
        });

    private static HttpClient CreateHttpClient() =>
        new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2), ConnectTimeout = TimeSpan.FromSeconds(5) })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };

    private static void ConfigureLogging(ILoggingBuilder logging, IServiceCollection services)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(LogLevel.Warning);
        logging.AddSimpleConsole(console => console.SingleLine = true);
        // Standard output belongs to the launcher protocol; every log line goes to standard error.
        services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
    }
}
