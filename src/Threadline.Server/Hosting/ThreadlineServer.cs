using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Threadline.Pipeline;
using Threadline.Server.Options;
using Threadline.Server.Receivers.Body;

namespace Threadline.Server.Hosting;

/// <summary>
/// A running Threadline backend: the receivers (OTLP gRPC, OTLP HTTP, Zipkin) and the query API
/// on their ports, the ingest queue and the store. Used by <c>threadline serve</c>, by the
/// integration tests and by the load generator.
/// </summary>
/// <example>
/// <code>
/// await using var server = await ThreadlineServer.StartAsync(new ThreadlineOptions(), cancellationToken: ct);
/// Console.WriteLine(server.OtlpHttpEndpoint); // http://127.0.0.1:4318/
/// </code>
/// </example>
public sealed class ThreadlineServer : IAsyncDisposable
{
    /// <summary>How long <see cref="DisposeAsync"/> lets the queue drain before giving up on it.</summary>
    public static readonly TimeSpan DefaultShutdownTimeout = TimeSpan.FromSeconds(30);

    private readonly WebApplication _app;
    private readonly ServerListeners _listeners;
    private readonly Lock _stopLock = new();
    private Task? _stopping;

    private ThreadlineServer(WebApplication app, ServerListeners listeners, ThreadlineOptions options)
    {
        _app = app;
        _listeners = listeners;
        Options = options;
    }

    /// <summary>The options the server runs with.</summary>
    public ThreadlineOptions Options { get; }

    /// <summary>The server's services: the store (<c>ITraceStore</c>), the <see cref="IngestQueue"/>, and so on.</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Where OTLP/gRPC clients connect (HTTP/2 cleartext), with the bound port.</summary>
    public Uri OtlpGrpcEndpoint => _listeners.ClientUri(ListenerRole.OtlpGrpc);

    /// <summary>The OTLP/HTTP base address; spans go to <c>/v1/traces</c> under it.</summary>
    public Uri OtlpHttpEndpoint => _listeners.ClientUri(ListenerRole.OtlpHttp);

    /// <summary>The Zipkin base address; spans go to <c>/api/v2/spans</c> under it.</summary>
    public Uri ZipkinEndpoint => _listeners.ClientUri(ListenerRole.Zipkin);

    /// <summary>The query API base address (<c>/api/v1/…</c>, <c>/healthz</c>, <c>/readyz</c>).</summary>
    public Uri ApiEndpoint => _listeners.ClientUri(ListenerRole.Api);

    /// <summary>The Tempo-compatible API base address (Grafana's Tempo data source URL), HTTP and gRPC.</summary>
    public Uri TempoEndpoint => _listeners.ClientUri(ListenerRole.Tempo);

    /// <summary>
    /// Validates <paramref name="options"/>, binds every listener and starts serving. Ports set to
    /// 0 are bound to free ports; read the endpoints to learn them.
    /// </summary>
    /// <param name="options">The settings; checked by <see cref="ThreadlineOptionsValidator"/>.</param>
    /// <param name="configureServices">
    /// Runs after the server registered its own services, so it can add logging or replace a
    /// service, e.g. the <c>ITraceStore</c> with a test double.
    /// </param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    /// <exception cref="IOException">A port is already in use.</exception>
    public static async Task<ThreadlineServer> StartAsync(
        ThreadlineOptions options,
        Action<IServiceCollection>? configureServices = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ThreadlineOptionsValidator.ThrowIfInvalid(options);

        var listeners = new ServerListeners(IPAddress.Parse(options.ListenAddress));
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "Threadline" });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => ConfigureKestrel(kestrel, options, listeners));
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(listeners);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, ListenerRoleMatcherPolicy>());
        builder.Services.RemoveAll<IHostLifetime>();
        builder.Services.AddSingleton<IHostLifetime, ManualHostLifetime>();
        ThreadlineServices.Add(builder.Services, options);
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        ThreadlineRoutes.Map(app, listeners);
        var server = new ThreadlineServer(app, listeners, options);
        try
        {
            // Resolving the queue starts its workers before the first request can arrive.
            app.Services.GetRequiredService<IngestQueue>();
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        app.Services.GetRequiredService<ServerReadiness>().MarkReady();
        server.LogListeners();
        return server;
    }

    /// <summary>
    /// Stops gracefully: stops accepting connections, lets requests in flight finish, drains the
    /// ingest queue into the store, then releases everything. When
    /// <paramref name="cancellationToken"/> fires first, what is still queued is abandoned (and
    /// counted as failed). Calling it again returns the same shutdown.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_stopLock)
        {
            return _stopping ??= StopCoreAsync(cancellationToken);
        }
    }

    /// <summary>Stops as <see cref="StopAsync"/> does, giving the queue <see cref="DefaultShutdownTimeout"/> to drain.</summary>
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(DefaultShutdownTimeout);
        await StopAsync(timeout.Token).ConfigureAwait(false);
    }

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        var logger = _app.Services.GetRequiredService<ILogger<ThreadlineServer>>();
        _app.Services.GetRequiredService<ServerReadiness>().MarkStopping();
        logger.LogInformation("Stopping: finishing requests in flight and draining the ingest queue");
        try
        {
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
            var queue = _app.Services.GetRequiredService<IngestQueue>();
            await queue.StopAsync(cancellationToken).ConfigureAwait(false);
            // Held traces are decided now, on what arrived, while the store is still open.
            await _app.Services.GetRequiredService<Sampling.SamplingStages>().StopAsync().ConfigureAwait(false);
            var statistics = queue.Statistics;
            logger.LogInformation("Stopped: {ConsumedSpans} spans handled by the pipeline, {FailedSpans} failed or abandoned", statistics.ConsumedSpans, statistics.FailedSpans);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static void ConfigureKestrel(KestrelServerOptions kestrel, ThreadlineOptions options, ServerListeners listeners)
    {
        kestrel.AddServerHeader = false;

        // Kestrel caps the bytes on the wire; the receivers cap the decompressed bytes. Allow the
        // wire a little more than the limit so an incompressible gzip body (which gzip makes
        // slightly larger) is judged by its decompressed size, plus what the receivers read and
        // discard of an oversized body so that its client can read the 413 (OversizedBody).
        var limit = (long)options.Receivers.MaxRequestBodyBytes;
        kestrel.Limits.MaxRequestBodySize = limit + (limit / 100) + 1024 + OversizedBody.MaxDiscardedBytes;

        var address = listeners.Address;
        Listen(ListenerRole.OtlpGrpc, options.Receivers.OtlpGrpcPort, HttpProtocols.Http2);
        Listen(ListenerRole.OtlpHttp, options.Receivers.OtlpHttpPort, HttpProtocols.Http1);
        Listen(ListenerRole.Zipkin, options.Receivers.ZipkinPort, HttpProtocols.Http1);
        Listen(ListenerRole.Api, options.Api.Port, HttpProtocols.Http1);
        // Grafana reaches Tempo's HTTP API and its gRPC streaming API on one port. Without TLS there is
        // no ALPN to choose the protocol; the HTTP/2 connection preface, which gRPC clients send at
        // once (prior knowledge), tells them apart. The h2c requests carry the scheme "http" on a
        // connection marked as negotiated, which Kestrel would otherwise refuse.
        kestrel.AllowAlternateSchemes = true;
        Listen(ListenerRole.Tempo, options.Tempo.Port, HttpProtocols.Http1AndHttp2, CleartextHttp2Detection.Middleware(kestrel.Limits.RequestHeadersTimeout));

        void Listen(ListenerRole role, int port, HttpProtocols protocols, Func<Microsoft.AspNetCore.Connections.ConnectionDelegate, Microsoft.AspNetCore.Connections.ConnectionDelegate>? connectionMiddleware = null) =>
            kestrel.Listen(address, port, listener =>
            {
                listener.Protocols = protocols;
                if (connectionMiddleware is not null) listener.Use(connectionMiddleware);
                listeners.Add(role, listener);
            });
    }

    private void LogListeners()
    {
        var logger = _app.Services.GetRequiredService<ILogger<ThreadlineServer>>();
        logger.LogInformation("OTLP/gRPC receiver listening on {Endpoint}", _listeners.BoundUri(ListenerRole.OtlpGrpc));
        logger.LogInformation("OTLP/HTTP receiver listening on {Endpoint}", _listeners.BoundUri(ListenerRole.OtlpHttp));
        logger.LogInformation("Zipkin receiver listening on {Endpoint}", _listeners.BoundUri(ListenerRole.Zipkin));
        logger.LogInformation("Query API listening on {Endpoint}", _listeners.BoundUri(ListenerRole.Api));
        logger.LogInformation("Tempo-compatible API (HTTP and gRPC) listening on {Endpoint}", _listeners.BoundUri(ListenerRole.Tempo));
        logger.LogInformation("Storage engine {Engine}, ingest queue bound {MaxQueuedSpans} spans, request body limit {MaxRequestBodyBytes} bytes",
            Options.Storage.Engine, Options.Ingest.MaxQueuedSpans, Options.Receivers.MaxRequestBodyBytes);
    }
}
