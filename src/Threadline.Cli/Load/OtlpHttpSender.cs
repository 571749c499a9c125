using System.Net;
using System.Net.Http.Headers;

namespace Threadline.Cli.Load;

/// <summary>OTLP/HTTP protobuf over HTTP/1.1, one connection per concurrent client.</summary>
internal sealed class OtlpHttpSender : IExportSender
{
    private readonly Uri _tracesEndpoint;
    private readonly HttpClient _client;

    public OtlpHttpSender(Uri tracesEndpoint, int concurrency)
    {
        _tracesEndpoint = tracesEndpoint;
        _client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task<ExportOutcome> SendAsync(byte[] body, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        using var response = await _client.PostAsync(_tracesEndpoint, content, cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode ? ExportOutcome.Accepted
            : response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable ? ExportOutcome.Refused
            : ExportOutcome.Failed;
    }

    public void Dispose() => _client.Dispose();
}
