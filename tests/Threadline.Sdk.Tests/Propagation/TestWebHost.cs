using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Threadline.Sdk.Tests.Propagation;

/// <summary>Starts a Kestrel server on 127.0.0.1 with a free port.</summary>
internal static class TestWebHost
{
    public static async Task<WebApplication> StartAsync(Action<WebApplication> mapEndpoints)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        mapEndpoints(app);
        await app.StartAsync();
        return app;
    }

    public static Uri BaseAddress(this WebApplication app) => new(app.Urls.Single());
}
