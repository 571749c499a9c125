using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Threadline.Protocol;
using Threadline.Protocol.Grpc;
using Threadline.Protocol.Otlp;
using Threadline.Pipeline.Ingest;
using Threadline.Server.Receivers.Body;

namespace Threadline.Server.Receivers.Grpc.AspNetCore;

/// <summary>The decoded request, or why it is not a valid ExportTraceServiceRequest.</summary>
internal sealed record GrpcExportRequest(DecodedSpans? Spans, string? Error);

/// <summary>
/// OTLP/gRPC on Grpc.AspNetCore, the experimental alternative to <see cref="OtlpGrpcTraceReceiver"/>
/// (<c>Receivers:GrpcImplementation=aspnetcore</c>), kept to measure the two under the same load.
/// Grpc.AspNetCore does the framing, gzip, size limit and deadline; the request bytes pass through
/// its marshaller straight to <see cref="OtlpProtobufDecoder"/>, and the answer is encoded by
/// <see cref="OtlpProtobufEncoder"/>, so no generated message is involved.
/// </summary>
internal sealed class OtlpTraceGrpcService
{
    private static readonly Method<GrpcExportRequest, byte[]> Export = new(
        MethodType.Unary,
        "opentelemetry.proto.collector.trace.v1.TraceService",
        "Export",
        Marshallers.Create<GrpcExportRequest>((_, _) => throw new NotSupportedException("The server never sends a request."), DecodeRequest),
        Marshallers.Create<byte[]>(response => response, _ => throw new NotSupportedException("The server never reads a response.")));

    private readonly TraceIngestService _ingest;

    public OtlpTraceGrpcService(TraceIngestService ingest) => _ingest = ingest;

    public async Task<byte[]> ExportAsync(GrpcExportRequest request, ServerCallContext context)
    {
        if (request.Error is not null)
        {
            _ingest.RecordRefusal(RequestRefusal.Malformed);
            throw new RpcException(new Status(StatusCode.InvalidArgument, "The message is not a valid ExportTraceServiceRequest: " + request.Error));
        }

        var result = await _ingest.IngestAsync(request.Spans!, context.CancellationToken).ConfigureAwait(false);
        switch (result.Outcome)
        {
            case IngestOutcome.Accepted:
                return OtlpProtobufEncoder.EncodeExportResponse(result.RejectedSpans, result.Message);
            case IngestOutcome.Overloaded:
                throw Refusal(context, GrpcStatusCode.ResourceExhausted, result.Message, result.RetryAfter);
            default:
                throw Refusal(context, GrpcStatusCode.Unavailable, result.Message, result.RetryAfter);
        }
    }

    private static RpcException Refusal(ServerCallContext context, GrpcStatusCode code, string? message, TimeSpan retryAfter)
    {
        context.ResponseTrailers.Add(GrpcStatusTrailers.Details, new RpcStatus((int)code, message ?? string.Empty, retryAfter).ToProtobuf());
        return new RpcException(new Status((StatusCode)(int)code, message ?? string.Empty));
    }

    // Decodes in place from Grpc.AspNetCore's buffer; a malformed message becomes INVALID_ARGUMENT in
    // ExportAsync rather than the INTERNAL status an exception thrown here would turn into.
    private static GrpcExportRequest DecodeRequest(DeserializationContext context)
    {
        var payload = context.PayloadAsReadOnlySequence();
        try
        {
            if (payload.IsSingleSegment)
                return new(OtlpProtobufDecoder.DecodeExportRequest(payload.FirstSpan, DecodeLimits.Default), null);
            using var copy = new PooledBuffer(payload.Length, (int)payload.Length);
            foreach (var segment in payload)
                copy.TryWrite(segment.Span);
            return new(OtlpProtobufDecoder.DecodeExportRequest(copy.WrittenSpan, DecodeLimits.Default), null);
        }
        catch (ProtocolException ex)
        {
            return new(null, ex.Message);
        }
    }

    /// <summary>Binds the one method without generated code (registered for <see cref="OtlpTraceGrpcService"/>).</summary>
    internal sealed class MethodProvider : IServiceMethodProvider<OtlpTraceGrpcService>
    {
        public void OnServiceMethodDiscovery(ServiceMethodProviderContext<OtlpTraceGrpcService> context) =>
            context.AddUnaryMethod(Export, [], static (service, request, callContext) => service.ExportAsync(request, callContext));
    }
}
