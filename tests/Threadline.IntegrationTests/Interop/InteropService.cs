using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Threadline.IntegrationTests.Interop;

/// <summary>One "service" of an interop test: its own Kestrel host on 127.0.0.1 answering <c>POST /</c>.</summary>
internal sealed class InteropService : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InteropService(WebApplication app) => _app = app;

    public Uri Endpoint => new(_app.Urls.Single());

    public static async Task<InteropService> StartAsync(Func<HttpRequest, Task> handle)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapPost("/", async (HttpRequest request) =>
        {
            await handle(request);
            return Results.Ok();
        });
        await app.StartAsync();
        return new InteropService(app);
    }

    /// <summary>
    /// A client that sends only the headers the test's SDK injected: .NET's own propagation is off, so
    /// nothing but the SDK under test writes trace context.
    /// </summary>
    public static HttpClient CreateClient() => new(new SocketsHttpHandler { ActivityHeadersPropagator = null });

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
