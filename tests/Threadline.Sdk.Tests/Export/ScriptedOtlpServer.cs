using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Threadline.TestSupport.Otlp;

namespace Threadline.Sdk.Tests.Export;

/// <summary>What the server saw of one request.</summary>
internal sealed record ReceivedRequest(string Method, string Path, string Protocol, IReadOnlyDictionary<string, string> Headers, byte[] RawBody, byte[] Message)
{
    /// <summary>The body as an ExportTraceServiceRequest (after gzip and gRPC framing are undone).</summary>
    public ExportTraceServiceRequest Parse() => ExportTraceServiceRequest.Parser.ParseFrom(Message);

    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";

    /// <summary>The subject of the client's TLS certificate, when it presented one.</summary>
    public string? ClientCertificateSubject { get; init; }
}

/// <summary>
/// A Kestrel server on 127.0.0.1:0 (plain or TLS) that answers each request with the next scripted response
/// (a plain 200 / gRPC OK when the script is empty) and records what it received, with gzip
/// and gRPC framing undone.
/// </summary>
internal sealed class ScriptedOtlpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _script = new();
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly bool _grpc;

    private ScriptedOtlpServer(WebApplication app, bool grpc)
    {
        _app = app;
        _grpc = grpc;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<ReceivedRequest> Requests => _received.ToArray();

    /// <summary>
    /// Starts an HTTP/1.1 server, or an HTTP/2-only (h2c) one for gRPC. With
    /// <paramref name="https"/> it serves TLS instead (HTTP/2 then negotiated by ALPN), configured
    /// by that callback: the server certificate, client certificate requirements.
    /// </summary>
    public static async Task<ScriptedOtlpServer> StartAsync(bool grpc, Action<HttpsConnectionAdapterOptions>? https = null)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = grpc ? HttpProtocols.Http2 : HttpProtocols.Http1;
                if (https is not null) listen.UseHttps(https);
            }));
        var app = builder.Build();
        var server = new ScriptedOtlpServer(app, grpc);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server.BaseAddress = new Uri(address);
        return server;
    }

    public void Enqueue(params Func<HttpContext, Task>[] responses)
    {
        foreach (var response in responses) _script.Enqueue(response);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var raw = body.ToArray();
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _received.Enqueue(new ReceivedRequest(context.Request.Method, context.Request.Path, context.Request.Protocol, headers, raw, Unwrap(raw, headers))
        {
            ClientCertificateSubject = context.Connection.ClientCertificate?.Subject,
        });

        if (_script.TryDequeue(out var respond)) await respond(context);
        else if (_grpc) await Grpc.Ok()(context);
        else context.Response.StatusCode = 200;
    }

    private byte[] Unwrap(byte[] raw, Dictionary<string, string> headers)
    {
        if (_grpc)
        {
            if (raw.Length < 5) return [];
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(raw.AsSpan(1));
            var message = raw.AsSpan(5, length).ToArray();
            return raw[0] == 1 ? Gunzip(message) : message;
        }
        return headers.TryGetValue("Content-Encoding", out var encoding) && encoding == "gzip" ? Gunzip(raw) : raw;
    }

    public static byte[] Gunzip(byte[] data)
    {
        using var input = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>Scripted gRPC answers.</summary>
    public static class Grpc
    {
        public static Func<HttpContext, Task> Ok(ExportTraceServiceResponse? response = null) => async context =>
        {
            var message = (response ?? new ExportTraceServiceResponse()).ToByteArray();
            var frame = new byte[5 + message.Length];
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)message.Length);
            message.CopyTo(frame, 5);
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.WriteAsync(frame);
            context.Response.AppendTrailer("grpc-status", "0");
        };

        /// <summary>An error in trailers after an empty body, optionally with google.rpc.Status details.</summary>
        public static Func<HttpContext, Task> Error(int code, string message = "", string? statusDetailsBin = null) => async context =>
        {
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.FlushAsync();
            context.Response.AppendTrailer("grpc-status", code.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (message.Length > 0) context.Response.AppendTrailer("grpc-message", Uri.EscapeDataString(message));
            if (statusDetailsBin is not null) context.Response.AppendTrailer("grpc-status-details-bin", statusDetailsBin);
        };

        /// <summary>A trailers-only answer: the status in the response headers, no body.</summary>
        public static Func<HttpContext, Task> TrailersOnly(int code, string message = "") => context =>
        {
            context.Response.ContentType = "application/grpc";
            context.Response.Headers["grpc-status"] = code.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (message.Length > 0) context.Response.Headers["grpc-message"] = Uri.EscapeDataString(message);
            return Task.CompletedTask;
        };
    }
}
