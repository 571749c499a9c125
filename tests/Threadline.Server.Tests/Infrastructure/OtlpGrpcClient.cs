using Grpc.Core;
using Grpc.Net.Client;

namespace Threadline.Server.Tests.Infrastructure;

/// <summary>
/// Grpc.Net.Client calling TraceService/Export with the request and response as raw protobuf
/// bytes: a real gRPC client, as the OpenTelemetry .NET exporter uses, without generated types.
/// </summary>
internal sealed class OtlpGrpcClient : IDisposable
{
    public const string TraceService = "opentelemetry.proto.collector.trace.v1.TraceService";

    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(static bytes => bytes, static bytes => bytes);

    private readonly GrpcChannel _channel;

    public OtlpGrpcClient(Uri endpoint) =>
        _channel = GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions { MaxReceiveMessageSize = null, MaxSendMessageSize = null });

    /// <summary>Calls <paramref name="service"/>/<paramref name="method"/>; a non-OK status throws <see cref="RpcException"/>.</summary>
    /// <param name="gzip">Compresses the request message (Grpc.Net.Client's per-call <c>grpc-internal-encoding-request</c>).</param>
    public async Task<byte[]> ExportAsync(byte[] request, DateTime? deadline = null, bool gzip = false, string service = TraceService, string method = "Export")
    {
        var headers = new Metadata();
        if (gzip) headers.Add("grpc-internal-encoding-request", "gzip");
        var call = _channel.CreateCallInvoker().AsyncUnaryCall(
            new Method<byte[], byte[]>(MethodType.Unary, service, method, Bytes, Bytes),
            host: null,
            new CallOptions(headers, deadline, TestContext.Timeout),
            request);
        return await call.ResponseAsync;
    }

    public void Dispose() => _channel.Dispose();
}
