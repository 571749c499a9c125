using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Threadline.Sdk.Propagation;

namespace Threadline.Sdk.Tests.Propagation;

/// <summary>
/// The service the W3C Trace Context test harness (https://github.com/w3c/trace-context/tree/main/test)
/// drives: <c>POST /</c> takes a JSON array of <c>{"url": …, "arguments": […]}</c> and, for each
/// item in order, POSTs its <c>arguments</c> as JSON to its <c>url</c> from a new client span that
/// continues the incoming request's trace. Nothing here handles headers: the installed propagator
/// does, through ASP.NET Core on the way in and HttpClient on the way out.
/// </summary>
/// <remarks>
/// Install the propagator before <see cref="StartAsync"/>, since the host and the HttpClient
/// capture it when built. Something must listen to <see cref="Source"/> (the SDK's tracer does);
/// when nothing listens to ASP.NET Core's own source, the incoming context is extracted by hand.
/// </remarks>
public sealed class TraceContextHarnessServer : IAsyncDisposable
{
    /// <summary>The source of the client spans that make the callbacks.</summary>
    public static readonly ActivitySource Source = new("Threadline.TraceContextHarness");

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly WebApplication _app;
    private readonly HttpClient _client;

    private TraceContextHarnessServer(WebApplication app, HttpClient client)
    {
        _app = app;
        _client = client;
    }

    /// <summary>Where the harness sends its requests.</summary>
    public Uri Endpoint => _app.BaseAddress();

    /// <summary>Starts the service on 127.0.0.1 with a free port.</summary>
    public static async Task<TraceContextHarnessServer> StartAsync()
    {
        var client = new HttpClient(new SocketsHttpHandler());
        var app = await TestWebHost.StartAsync(app => app.MapPost("/", (HttpContext context) => HandleAsync(context, client)));
        return new TraceContextHarnessServer(app, client);
    }

    private static async Task HandleAsync(HttpContext context, HttpClient client)
    {
        var cases = await JsonSerializer.DeserializeAsync<HarnessCase[]>(context.Request.Body, Json, context.RequestAborted) ?? [];
        var parent = Activity.Current?.Context ?? ExtractByHand(context.Request.Headers);

        foreach (var callback in cases)
        {
            using var span = Source.StartActivity("harness callback", ActivityKind.Client, parent);
            using var response = await client.PostAsJsonAsync(callback.Url, callback.Arguments, Json, context.RequestAborted);
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private static ActivityContext ExtractByHand(IHeaderDictionary headers) =>
        TextMapPropagators.Extract(headers, static (h, name) => h.TryGetValue(name, out var values) ? values.ToString() : default)
            .ActivityContext;

    /// <summary>Stops the service.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        _client.Dispose();
    }

    /// <summary>One callback the harness asks for.</summary>
    public sealed record HarnessCase(string Url, JsonElement Arguments);
}
