using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Threadline.Sdk.AspNetCore.Tests;
using Threadline.Sdk.Tests.Propagation;

namespace Threadline.Sdk.Tests.Setup;

/// <summary>ASP.NET Core's built-in server spans carry the HTTP semantic-convention attributes.</summary>
[Collection(GlobalPropagatorCollection.Name)]
public sealed class FrameworkSpanTests
{
    [Fact]
    public async Task AspNetCore_server_spans_carry_http_attributes()
    {
        var captured = new SpanSink();
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
        // ASP.NET Core ends its server span after the response has gone out: wait for the span itself.
        var port = app.BaseAddress().Port;
        var server = await captured.WaitForAsync(a =>
            a.Source.Name == TracingOptions.AspNetCoreSource
            && Convert.ToInt32(a.GetTagItem("server.port"), CultureInfo.InvariantCulture) == port
            && (a.GetTagItem("url.path") as string) == "/orders/42");
        Assert.Equal(ActivityKind.Server, server.Kind);
        Assert.Equal("GET", server.GetTagItem("http.request.method"));
        Assert.Equal("http", server.GetTagItem("url.scheme"));
    }
}
