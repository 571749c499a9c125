using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Threadline.Cli.Tests.Query;

/// <summary>
/// A stand-in for the native TraceQL API on 127.0.0.1 that answers with fixed bodies (Tempo's own
/// documented JSON), so the CLI's rendering is tested on the published shape whatever the engine
/// does; it records each request's path and query.
/// </summary>
internal sealed class StubQueryServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StubQueryServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Starts a server answering each path in <paramref name="answers"/> with (status, JSON body).</summary>
    public static async Task<StubQueryServer> StartAsync(IReadOnlyDictionary<string, (int Status, string Body)> answers)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        StubQueryServer? stub = null;
        app.Run(async context =>
        {
            stub!.Requests.Enqueue(context.Request.Path + context.Request.QueryString);
            if (!answers.TryGetValue(context.Request.Path, out var answer)) answer = (404, """{"error":"not found"}""");
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.Body);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        stub = new StubQueryServer(app, new Uri(address));
        return stub;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
