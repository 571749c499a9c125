using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Threadline.Sdk.Propagation;

namespace Threadline.Sdk.Tests.Propagation;

/// <summary>
/// A real HttpClient calls a real Kestrel server with nothing wired but the installed propagator:
/// the server-side Activity must continue the client's trace.
/// </summary>
[Collection(GlobalPropagatorCollection.Name)]
public sealed class HttpPropagationEndToEndTests : GlobalPropagatorTest
{
    private const string ClientSource = "Threadline.Tests.Propagation.Client";

    private sealed record ServerView(
        ActivityTraceId TraceId,
        ActivitySpanId ParentSpanId,
        bool HasRemoteParent,
        string? TraceState,
        IReadOnlyList<KeyValuePair<string, string?>> Baggage,
        IReadOnlyDictionary<string, string> Headers);

    private sealed record Call(Activity Client, Activity HttpClient, ServerView Server);

    private static async Task<Call> CallThroughHttpAsync(params string[] propagators)
    {
        // Install first: HttpClient handlers and ASP.NET Core hosts capture the propagator when built.
        TextMapPropagators.Install(TextMapPropagators.Create(propagators));
        using var activities = new TestActivities(ClientSource);
        using var source = new ActivitySource(ClientSource);

        var seen = new TaskCompletionSource<ServerView>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestWebHost.StartAsync(app => app.MapGet("/", (HttpContext context) =>
        {
            var activity = Activity.Current!;
            seen.SetResult(new ServerView(
                activity.TraceId,
                activity.ParentSpanId,
                activity.HasRemoteParent,
                activity.TraceStateString,
                [.. activity.Baggage],
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            return "ok";
        }));
        using var http = new HttpClient(new SocketsHttpHandler()) { BaseAddress = server.BaseAddress() };

        var client = source.StartActivity("checkout", ActivityKind.Internal)!;
        client.TraceStateString = "congo=t61rcWkgMzE";
        client.AddBaggage("userId", "alice");
        client.AddBaggage("serverNode", "DF 28");
        using (client)
        {
            using var response = await http.GetAsync("/");
            response.EnsureSuccessStatusCode();
        }

        return new Call(client, activities.HttpClientActivity(client.TraceId), await seen.Task);
    }

    [Fact]
    public async Task HttpClient_to_Kestrel_continues_the_trace_with_tracestate_and_baggage_over_tracecontext()
    {
        var call = await CallThroughHttpAsync("tracecontext", "baggage");

        Assert.Equal(call.Client.SpanId, call.HttpClient.ParentSpanId);
        Assert.Equal(call.Client.TraceId, call.Server.TraceId);
        Assert.Equal(call.HttpClient.SpanId, call.Server.ParentSpanId);
        Assert.True(call.Server.HasRemoteParent);
        Assert.Equal("congo=t61rcWkgMzE", call.Server.TraceState);
        Assert.Equal([new("serverNode", "DF 28"), new("userId", "alice")], call.Server.Baggage);
        Assert.Equal("serverNode=DF%2028,userId=alice", call.Server.Headers["baggage"]);
        Assert.Equal(call.HttpClient.Id, call.Server.Headers["traceparent"]);
    }

    [Fact]
    public async Task HttpClient_to_Kestrel_continues_the_trace_with_baggage_over_b3()
    {
        var call = await CallThroughHttpAsync("b3", "baggage");

        Assert.Equal(call.Client.TraceId, call.Server.TraceId);
        Assert.Equal(call.HttpClient.SpanId, call.Server.ParentSpanId);
        Assert.True(call.Server.HasRemoteParent);
        Assert.Equal([new("serverNode", "DF 28"), new("userId", "alice")], call.Server.Baggage);
        Assert.Equal($"{call.HttpClient.TraceId}-{call.HttpClient.SpanId}-1", call.Server.Headers["b3"]);
        Assert.False(call.Server.Headers.ContainsKey("traceparent"));
        // B3 has no tracestate field, so the caller's tracestate cannot travel with it.
        Assert.Null(call.Server.TraceState);
    }

    [Fact]
    public async Task HttpClient_to_Kestrel_continues_the_trace_over_b3_multiple_headers()
    {
        var call = await CallThroughHttpAsync("b3multi");

        Assert.Equal(call.Client.TraceId, call.Server.TraceId);
        Assert.Equal(call.HttpClient.SpanId, call.Server.ParentSpanId);
        Assert.Equal(call.HttpClient.SpanId.ToHexString(), call.Server.Headers["X-B3-SpanId"]);
        Assert.Empty(call.Server.Baggage);
    }

    [Fact]
    public async Task HttpClient_to_Kestrel_with_tracecontext_and_b3_sends_both_and_keeps_the_tracestate()
    {
        var call = await CallThroughHttpAsync("tracecontext", "b3");

        Assert.True(call.Server.Headers.ContainsKey("traceparent"));
        Assert.True(call.Server.Headers.ContainsKey("b3"));
        Assert.Equal(call.HttpClient.SpanId, call.Server.ParentSpanId);
        Assert.Equal("congo=t61rcWkgMzE", call.Server.TraceState);
    }

    [Fact]
    public async Task HttpClient_to_Kestrel_with_none_starts_a_new_trace_on_the_server()
    {
        var call = await CallThroughHttpAsync("none");

        Assert.NotEqual(call.Client.TraceId, call.Server.TraceId);
        Assert.False(call.Server.Headers.ContainsKey("traceparent"));
        Assert.Empty(call.Server.Baggage);
    }
}
