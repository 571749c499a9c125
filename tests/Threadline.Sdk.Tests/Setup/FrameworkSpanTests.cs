using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Threadline.Sdk.Tests.Propagation;

namespace Threadline.Sdk.Tests.Setup;

/// <summary>ASP.NET Core's built-in server spans carry the HTTP semantic-convention attributes.</summary>
[Collection(GlobalPropagatorCollection.Name)]
public sealed class FrameworkSpanTests
{
    [Fact]
    public async Task AspNetCore_server_spans_carry_http_attributes()
    {
        var captured = new List<Activity>();
        await using var session = ThreadlineTracing.Start(
            o =>
            {
                o.IncludeFrameworkSources = true;
                o.InstallPropagator = false;
                o.UseInMemoryExporter(captured);
            },
            _ => null);

        // The host is built after tracing starts, as the SDK documents.
        await using var app = await TestWebHost.StartAsync(web => web.MapGet("/orders/{id}", (string id) => Results.Ok(id)));
        using var http = new HttpClient();
        using (var response = await http.GetAsync(new Uri(app.BaseAddress(), "/orders/42")))
        {
            response.EnsureSuccessStatusCode();
        }
        await session.ForceFlushAsync();

        Activity server;
        lock (captured)
        {
            server = Assert.Single(captured, a =>
                a.Source.Name == TracingOptions.AspNetCoreSource && (a.GetTagItem("url.path") as string) == "/orders/42");
        }
        Assert.Equal(ActivityKind.Server, server.Kind);
        Assert.Equal("GET", server.GetTagItem("http.request.method"));
        Assert.Equal("http", server.GetTagItem("url.scheme"));
    }
}
