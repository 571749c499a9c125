using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Threadline.Pipeline.Ingest;
using Threadline.Protocol.Grpc;
using Threadline.Server.Receivers.Grpc;

namespace Threadline.Server.Hosting;

/// <summary>
/// Answers a request that no route on its port takes (spans posted to the API port, Zipkin's
/// path on the OTLP port, …) with a 404 whose body says which port takes what, instead of an
/// empty 404 a client library would report without a clue; a gRPC call to a method the gRPC port
/// does not offer gets UNIMPLEMENTED with the same guide. A POST is an export gone astray:
/// it is counted as <c>threadline_receiver_requests_total{protocol="unknown",outcome="wrong_port"}</c>
/// and logged, at most once a minute, so a misconfigured fleet cannot flood the log.
/// </summary>
internal sealed class WrongPortResponder
{
    private static readonly long LogIntervalTicks = Stopwatch.Frequency * 60;

    private readonly ServerListeners _listeners;
    private readonly ReceiverMetrics _metrics;
    private readonly ILogger<WrongPortResponder> _logger;
    private long _nextLogAt = long.MinValue;
    private long _unlogged;

    public WrongPortResponder(ServerListeners listeners, ReceiverMetrics metrics, ILogger<WrongPortResponder> logger)
    {
        _listeners = listeners;
        _metrics = metrics;
        _logger = logger;
    }

    public Task RespondAsync(HttpContext context)
    {
        var request = context.Request;
        var port = context.Connection.LocalPort;
        if (HttpMethods.IsPost(request.Method))
        {
            _metrics.Request(ReceiverMetrics.Unknown, ReceiverMetrics.WrongPort);
            LogRateLimited(request.Method, request.Path, port);
        }

        var role = _listeners.RoleOf(context);
        var guide = Guide(role, port, request.Method, request.Path);
        if (role is ListenerRole.OtlpGrpc or ListenerRole.Tempo && IsGrpcCall(request))
        {
            // A gRPC client reads the status, not the body: a service this server does not offer is
            // UNIMPLEMENTED, answered trailers-only, with the guide as its message.
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = request.ContentType;
            context.Response.Headers[GrpcStatusTrailers.Status] = ((int)StatusCode.Unimplemented).ToString(CultureInfo.InvariantCulture);
            context.Response.Headers[GrpcStatusTrailers.Message] = GrpcStatusTrailers.EncodeMessage(guide);
            return Task.CompletedTask;
        }

        context.Response.StatusCode = StatusCodes.Status404NotFound;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(guide, context.RequestAborted);
    }

    private static bool IsGrpcCall(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);

    /// <summary>What this port serves, and where each protocol goes, with the bound ports.</summary>
    internal string Guide(ListenerRole? role, int port, string method, PathString path)
    {
        var serves = role switch
        {
            ListenerRole.Api => "the query API (/api/v1/...), /metrics, /healthz and /readyz",
            ListenerRole.OtlpHttp => "OTLP/HTTP traces at POST /v1/traces",
            ListenerRole.Zipkin => "Zipkin v2 spans at POST /api/v2/spans",
            ListenerRole.OtlpGrpc => $"OTLP/gRPC (HTTP/2) traces at /{OtlpTraceGrpcService.ServiceName}/Export",
            ListenerRole.Tempo => "the Tempo-compatible API (/api/search, /api/traces/{id}, /api/metrics/..., gRPC tempopb.StreamingQuerier) for Grafana",
            _ => "nothing known",
        };
        return $"Nothing here answers {method} {path}. This port ({port}) serves {serves}. "
            + $"Send OTLP/HTTP to :{_listeners.PortOf(ListenerRole.OtlpHttp)}/v1/traces, "
            + $"OTLP/gRPC to :{_listeners.PortOf(ListenerRole.OtlpGrpc)}, "
            + $"Zipkin to :{_listeners.PortOf(ListenerRole.Zipkin)}/api/v2/spans; "
            + $"the query API and /metrics are on :{_listeners.PortOf(ListenerRole.Api)}, "
            + $"the Tempo-compatible API for Grafana on :{_listeners.PortOf(ListenerRole.Tempo)}.";
    }

    private void LogRateLimited(string method, PathString path, int port)
    {
        var now = Stopwatch.GetTimestamp();
        var next = Interlocked.Read(ref _nextLogAt);
        if (now < next || Interlocked.CompareExchange(ref _nextLogAt, now + LogIntervalTicks, next) != next)
        {
            Interlocked.Increment(ref _unlogged);
            return;
        }
        var suppressed = Interlocked.Exchange(ref _unlogged, 0);
        _logger.LogInformation(
            "{Method} {Path} arrived on port {Port}, which takes no such request; answered 404 with the port guide ({Suppressed} more since the last such message). Check the exporter's endpoint.",
            method, path.Value, port, suppressed);
    }
}
