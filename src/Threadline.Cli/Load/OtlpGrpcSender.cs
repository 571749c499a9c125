using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Threadline.Protocol.Grpc;

namespace Threadline.Cli.Load;

/// <summary>
/// OTLP/gRPC: unary <c>TraceService/Export</c> calls over HTTP/2 cleartext (prior knowledge, as
/// gRPC clients connect to h2c), many calls multiplexed per connection. The outcome is the
/// <c>grpc-status</c> trailer.
/// </summary>
internal sealed class OtlpGrpcSender : IExportSender
{
    public const string ExportPath = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

    private static readonly MediaTypeHeaderValue GrpcContentType = new("application/grpc");

    private readonly Uri _exportUri;
    private readonly HttpClient _client;

    /// <param name="endpoint">The server's gRPC address, e.g. http://127.0.0.1:4317.</param>
    public OtlpGrpcSender(Uri endpoint)
    {
        _exportUri = new Uri(endpoint, ExportPath);
        var handler = new SocketsHttpHandler { UseProxy = false, EnableMultipleHttp2Connections = true };
        _client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task<ExportOutcome> SendAsync(byte[] body, CancellationToken cancellationToken)
    {
        var framed = new byte[GrpcMessagePrefix.Size + body.Length];
        GrpcMessagePrefix.Write(framed, body.Length);
        body.CopyTo(framed.AsSpan(GrpcMessagePrefix.Size));

        using var request = new HttpRequestMessage(HttpMethod.Post, _exportUri)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(framed),
        };
        request.Content.Headers.ContentType = GrpcContentType;
        request.Headers.TryAddWithoutValidation("te", "trailers");
        using var response = await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK) return ExportOutcome.Failed;
        // The status is a trailer after the response message, or a header when there is no message.
        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        return Outcome(StatusOf(response));
    }

    /// <summary>What a <c>grpc-status</c> value means to a load generator.</summary>
    public static ExportOutcome Outcome(string? grpcStatus) =>
        !int.TryParse(grpcStatus, NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? ExportOutcome.Failed
        : (GrpcStatusCode)code switch
        {
            GrpcStatusCode.Ok => ExportOutcome.Accepted,
            GrpcStatusCode.ResourceExhausted or GrpcStatusCode.Unavailable => ExportOutcome.Refused,
            _ => ExportOutcome.Failed,
        };

    private static string? StatusOf(HttpResponseMessage response) =>
        response.TrailingHeaders.TryGetValues(GrpcStatusTrailers.Status, out var trailer) ? trailer.FirstOrDefault()
        : response.Headers.TryGetValues(GrpcStatusTrailers.Status, out var header) ? header.FirstOrDefault()
        : null;

    public void Dispose() => _client.Dispose();
}
