using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Threadline.Demo.Hosting;

namespace Threadline.Demo.Services;

/// <summary>
/// The service the official W3C Trace Context test suite (w3c/trace-context, test/test.py) drives:
/// <c>POST /test</c> takes a JSON array of <c>{"url": …, "arguments": […]}</c> and, for each item in
/// order, POSTs its <c>arguments</c> as JSON to its <c>url</c>. Nothing here touches a header:
/// ASP.NET Core extracts the incoming context and HttpClient injects the outgoing one, both with the
/// propagator Threadline.Sdk installed, so the suite tests the SDK's propagation.
/// </summary>
internal sealed class TraceContextTestService : ServiceApplication
{
    public override string Name => DemoServiceNames.TraceContext;

    public override void MapEndpoints(WebApplication app)
    {
        app.MapPost("/test", HandleAsync);
        // The SDK's own test harness posts to the root; accept both.
        app.MapPost("/", HandleAsync);
    }

    private static async Task<IResult> HandleAsync(HttpRequest request, HttpClient http, CancellationToken cancellationToken)
    {
        TraceContextCallback[]? callbacks;
        try
        {
            callbacks = await JsonSerializer.DeserializeAsync<TraceContextCallback[]>(request.Body, ServiceCalls.Json, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException exception)
        {
            return Results.BadRequest(new { error = "The body must be a JSON array of {\"url\": …, \"arguments\": […]}: " + exception.Message });
        }

        foreach (var callback in callbacks ?? [])
        {
            if (!Uri.TryCreate(callback.Url, UriKind.Absolute, out var target) || !LoopbackAddress.IsLoopback(target))
            {
                // Posting wherever a request says would make this an open relay; the harness runs on this machine.
                return Results.BadRequest(new { error = $"Callback URL '{callback.Url}' is not an http URL on this machine." });
            }
            try
            {
                using var response = await http.PostAsJsonAsync(target, callback.Arguments, ServiceCalls.Json, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException)
            {
                // The harness judges the callbacks it received; one it did not take must not stop the others.
            }
        }
        return Results.Ok();
    }

    private sealed record TraceContextCallback(string Url, JsonElement Arguments);
}
