using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Threadline.Core.Model;
using Threadline.Protocol.Otlp;

namespace Threadline.Cli.Tests.Storage;

/// <summary>
/// A <c>threadline serve</c> child process on free loopback ports, with the few calls the storage
/// process tests make: export spans over OTLP/HTTP, read a trace's span ids back, kill it.
/// Linked into the ClickHouse tests too, whose scale-out run starts nodes on that engine.
/// </summary>
internal sealed partial class ServeChild : IAsyncDisposable
{
    // ReadyMessage.Prefix, written out because the ClickHouse tests that link this file cannot see the CLI's internals.
    private const string ReadyPrefix = "Ready:";

    private readonly ThreadlineProcess _process;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    private ServeChild(ThreadlineProcess process, Uri otlpHttp, Uri api)
    {
        _process = process;
        OtlpHttp = otlpHttp;
        Api = api;
    }

    public Uri OtlpHttp { get; }
    public Uri Api { get; }
    public ThreadlineProcess Process => _process;
    public string Transcript => _process.Transcript;

    /// <summary>On the embedded engine over <paramref name="dataDirectory"/>.</summary>
    public static Task<ServeChild> StartAsync(string dataDirectory, string? configFile = null) =>
        StartAsync(["--storage", "embedded", "--data-dir", dataDirectory, .. configFile is null ? Array.Empty<string>() : ["--config", configFile]]);

    /// <summary>With the given storage (and other) arguments; every listener on a free port.</summary>
    public static async Task<ServeChild> StartAsync(IEnumerable<string> storageArguments)
    {
        string[] arguments =
        [
            "serve", .. storageArguments, "--log-level", "Warning",
            "--otlp-grpc-port", "0", "--otlp-http-port", "0", "--zipkin-port", "0", "--api-port", "0", "--tempo-port", "0",
        ];
        var process = ThreadlineProcess.Start(arguments);
        try
        {
            var ready = await process.WaitForOutputAsync(line => line.StartsWith(ReadyPrefix, StringComparison.Ordinal));
            return new ServeChild(process, Url(ready, "OTLP/HTTP "), Url(ready, "native API "));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Posts the spans as one OTLP/HTTP protobuf request; the response as it came.</summary>
    public async Task<HttpResponseMessage> ExportAsync(IReadOnlyList<Span> spans, CancellationToken cancellationToken = default)
    {
        using var content = new ByteArrayContent(OtlpProtobufEncoder.EncodeExportRequest(spans));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        return await _http.PostAsync(OtlpHttp, content, cancellationToken);
    }

    /// <summary>Whether the node answers a catalog read (over the whole cluster, on ClickHouse).</summary>
    public async Task<HttpStatusCode> ServicesStatusAsync()
    {
        using var response = await _http.GetAsync(new Uri(Api, "/api/v1/services"));
        return response.StatusCode;
    }

    /// <summary>The span ids of the stored trace, as many times as each is stored; empty when unknown.</summary>
    public async Task<List<string>> SpanIdsAsync(TraceId traceId)
    {
        using var response = await _http.GetAsync(new Uri(Api, "/api/v1/traces/" + traceId));
        if (response.StatusCode == HttpStatusCode.NotFound) return [];
        var json = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"GET trace answered {(int)response.StatusCode}: {json}");
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
