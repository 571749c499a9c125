using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Threadline.Sdk.AspNetCore.Tests;

/// <summary>
/// A Kestrel application on 127.0.0.1 (free port) with ASP.NET Core support registered, traced into a
/// <see cref="SpanSink"/>. Listeners are process-wide and tests run in parallel, so a test picks its own
/// server spans out by port.
/// </summary>
internal sealed class TracedApp : IAsyncDisposable
{
    private readonly TracingSession? _session;
    private readonly WebApplication _app;
    private readonly HttpClient _client;

    private TracedApp(TracingSession? session, WebApplication app, SpanSink spans)
    {
        _session = session;
        _app = app;
        Spans = spans;
        BaseAddress = new Uri(app.Urls.Single());
        _client = new HttpClient { BaseAddress = BaseAddress };
    }

    public SpanSink Spans { get; }

    public Uri BaseAddress { get; }

    /// <summary>Starts a session with <see cref="ThreadlineTracing.Start"/>, then the application.</summary>
    public static async Task<TracedApp> StartAsync(
        Action<WebApplication> pipeline,
        Action<IServiceCollection>? services = null)
    {
        var spans = new SpanSink();
        var session = ThreadlineTracing.Start(o => Configure(o, spans), _ => null);
        try
        {
            return new TracedApp(session, await StartWebAsync(s =>
            {
                s.AddThreadlineAspNetCore();
                services?.Invoke(s);
            }, pipeline), spans);
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the application with the session registered through <c>AddThreadlineTracing</c>.</summary>
    public static async Task<TracedApp> StartHostedAsync(Action<WebApplication> pipeline, Action<TracingOptions>? configure = null)
    {
        var spans = new SpanSink();
        var app = await StartWebAsync(
            s => s.AddThreadlineTracing(o =>
            {
                Configure(o, spans);
                configure?.Invoke(o);
            }).AddThreadlineAspNetCore(),
            pipeline);
        return new TracedApp(null, app, spans);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, IEnumerable<(string Name, string Value)>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path);
        foreach (var (name, value) in headers ?? []) request.Headers.TryAddWithoutValidation(name, value);
        return await _client.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    /// <summary>Waits for this application's server span for <paramref name="path"/>.</summary>
    public Task<Activity> ServerSpanAsync(string path) => Spans.WaitForAsync(span =>
        span.Source.Name == TracingOptions.AspNetCoreSource
        && Convert.ToInt32(span.GetTagItem("server.port"), CultureInfo.InvariantCulture) == BaseAddress.Port
        && (span.GetTagItem("url.path") as string) == path);

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        if (_session is not null) await _session.DisposeAsync();
    }

    private static void Configure(TracingOptions options, SpanSink spans)
    {
        options.InstallPropagator = false;
        options.UseInMemoryExporter(spans);
    }

    private static async Task<WebApplication> StartWebAsync(Action<IServiceCollection> services, Action<WebApplication> pipeline)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        services(builder.Services);
        var app = builder.Build();
        pipeline(app);
        await app.StartAsync();
        return app;
    }
}
