using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Threadline.Cli.Tests;
using Threadline.Core.Model;
using Threadline.Protocol.Otlp;

namespace Threadline.Storage.ClickHouse.Tests;

/// <summary>
/// A <c>threadline serve --storage clickhouse</c> child process on free loopback ports, with the
/// calls the scale-out tests make: export spans over OTLP/HTTP, read a trace's span ids back.
/// </summary>
internal sealed partial class ServeNode : IAsyncDisposable
{
    private readonly ThreadlineProcess _process;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    private ServeNode(ThreadlineProcess process, Uri otlpHttp, Uri api)
    {
        _process = process;
        OtlpHttp = otlpHttp;
        Api = api;
    }

    public Uri OtlpHttp { get; }
    public Uri Api { get; }
    public string Transcript => _process.Transcript;

    public static async Task<ServeNode> StartAsync(Uri clickHouse, string cluster)
    {
        var process = ThreadlineProcess.Start(
            "serve", "--storage", "clickhouse", "--clickhouse-url", clickHouse.ToString().TrimEnd('/'), "--clickhouse-cluster", cluster,
            "--retention", "30d", "--log-level", "Warning",
            "--otlp-grpc-port", "0", "--otlp-http-port", "0", "--zipkin-port", "0", "--api-port", "0", "--tempo-port", "0");
        try
        {
            var ready = await process.WaitForOutputAsync(line => line.StartsWith("Ready:", StringComparison.Ordinal));
            var node = new ServeNode(process, Url(ready, "OTLP/HTTP "), Url(ready, "native API "));
            // The store connects and creates its schema on first use: make that happen now, so
            // that the other shard's Distributed table finds this shard's local tables. The read
            // itself fails while a shard has no tables yet.
            using var services = await node._http.GetAsync(new Uri(node.Api, "/api/v1/services"));
            return node;
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Whether the node answers a read over the whole cluster.</summary>
    public async Task<HttpStatusCode> ServicesStatusAsync()
    {
        using var response = await _http.GetAsync(new Uri(Api, "/api/v1/services"));
        return response.StatusCode;
    }

    /// <summary>Posts the spans as one OTLP/HTTP protobuf request; the response as it came.</summary>
    public async Task<HttpResponseMessage> ExportAsync(IReadOnlyList<Span> spans)
    {
        using var content = new ByteArrayContent(OtlpProtobufEncoder.EncodeExportRequest(spans));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        return await _http.PostAsync(OtlpHttp, content);
    }

    /// <summary>The span ids of the stored trace, in the order the API lists them; empty when unknown.</summary>
    public async Task<List<string>> SpanIdsAsync(TraceId traceId)
    {
        using var response = await _http.GetAsync(new Uri(Api, "/api/v1/traces/" + traceId));
        if (response.StatusCode == HttpStatusCode.NotFound) return [];
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET trace answered {(int)response.StatusCode}: {json}");
        return [.. SpanIdField().Matches(json).Select(m => m.Groups[1].Value)];
    }

    /// <summary>SIGKILL: no shutdown, no flush, as a crash or an OOM killer.</summary>
    public async Task KillAsync()
    {
        _process.Process.Kill();
        await _process.Process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
    }

    private static Uri Url(string line, string label)
    {
        var start = line.IndexOf(label, StringComparison.Ordinal) + label.Length;
        var end = line.IndexOfAny([' ', ','], start);
        var url = new Uri(line[start..(end < 0 ? line.Length : end)].TrimEnd('.'));
        return label == "native API " ? new Uri(url.GetLeftPart(UriPartial.Authority)) : url;
    }

    [GeneratedRegex("\"spanId\":\"([0-9a-f]{16})\"")]
    private static partial Regex SpanIdField();
}
