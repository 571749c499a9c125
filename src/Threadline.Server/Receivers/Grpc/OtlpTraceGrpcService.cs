using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Threadline.Protocol;
using Threadline.Protocol.Grpc;
using Threadline.Protocol.Otlp;
using Threadline.Pipeline.Ingest;
using Threadline.Server.Receivers.Body;

namespace Threadline.Server.Receivers.Grpc;

/// <summary>The decoded request, or why it is not a valid ExportTraceServiceRequest.</summary>
internal sealed record GrpcExportRequest(DecodedSpans? Spans, string? Error);

/// <summary>
/// OTLP/gRPC: the unary <c>TraceService/Export</c> call, served by Grpc.AspNetCore, which does the
/// framing, size limit, deadline and (with <see cref="BoundedGzipProvider"/>) gzip. A thin edge:
/// the request bytes pass through its marshaller straight to <see cref="OtlpProtobufDecoder"/>, the
/// spans go to <see cref="TraceIngestService"/>, and the answer is encoded by
/// <see cref="OtlpProtobufEncoder"/>, so no generated message is involved.
/// </summary>
internal sealed class OtlpTraceGrpcService
{
    public const string ServiceName = "opentelemetry.proto.collector.trace.v1.TraceService";

    private static readonly Method<GrpcExportRequest, byte[]> Export = new(
        MethodType.Unary,
        ServiceName,
        "Export",
        Marshallers.Create<GrpcExportRequest>((_, _) => throw new NotSupportedException("The server never sends a request."), DecodeRequest),
        Marshallers.Create<byte[]>(response => response, _ => throw new NotSupportedException("The server never reads a response.")));

    private readonly TraceIngestService _ingest;

    public OtlpTraceGrpcService(TraceIngestService ingest) => _ingest = ingest;

    public async Task<byte[]> ExportAsync(GrpcExportRequest request, ServerCallContext context)
    {
        if (request.Error is not null)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "The message is not a valid ExportTraceServiceRequest: " + request.Error));

        GrpcCallAccounting.MarkIngested(context.GetHttpContext());
        // When the client's deadline passes first, Grpc.AspNetCore answers DEADLINE_EXCEEDED and
        // cancels this token; spans already queued are still stored.
        var result = await _ingest.IngestAsync(request.Spans!, context.CancellationToken).ConfigureAwait(false);
        var answer = GrpcIngestAnswer.For(result.Outcome);
        if (answer.Status == GrpcStatusCode.Ok)
            return OtlpProtobufEncoder.EncodeExportResponse(result.RejectedSpans, result.Message);

        var message = result.Message ?? string.Empty;
        if (answer.RetryHint)
        {
            // google.rpc.Status with RetryInfo, where the OpenTelemetry SDKs look for the back-off.
            context.ResponseTrailers.Add(GrpcStatusTrailers.Details, new RpcStatus((int)answer.Status, message, result.RetryAfter).ToProtobuf());
            // Sending the headers first puts the status in real trailers: the OpenTelemetry .NET
            // exporter reads the details only there, not from a trailers-only answer's headers.
            await context.WriteResponseHeadersAsync([]).ConfigureAwait(false);
        }
        throw new RpcException(new Status((StatusCode)(int)answer.Status, message));
    }

    // Decodes in place from Grpc.AspNetCore's buffer; a malformed message becomes INVALID_ARGUMENT in
    // ExportAsync rather than the UNKNOWN status an exception thrown here would turn into.
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
