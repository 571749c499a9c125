using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Threadline.Protocol;
using Threadline.Protocol.Grpc;
using Threadline.Protocol.Otlp;
using Threadline.Pipeline.Ingest;
using Threadline.Server.Receivers.Body;

namespace Threadline.Server.Receivers.Grpc;

/// <summary>
/// OTLP/gRPC: the unary <c>TraceService/Export</c> call over HTTP/2 cleartext. A thin edge:
/// it unframes and decodes the request, hands the spans to <see cref="TraceIngestService"/>,
/// and maps the outcome to a gRPC status.
/// </summary>
internal sealed class OtlpGrpcTraceReceiver
{
    public const string ExportPath = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

    private readonly TraceIngestService _ingest;
    private readonly int _maxMessageBytes;

    public OtlpGrpcTraceReceiver(TraceIngestService ingest, int maxMessageBytes)
    {
        _ingest = ingest;
        _maxMessageBytes = maxMessageBytes;
    }

    /// <summary>Answers one call; the pipeline sends only POST requests on the gRPC port here.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;

        if (!IsGrpcContentType(request.ContentType, out var codecSupported))
        {
            // Not a gRPC request at all: the gRPC spec answers with plain HTTP 415.
            _ingest.RecordRefusal(RequestRefusal.Unsupported);
            response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        GrpcResponseWriter.WriteHeaders(response);
        if (!string.Equals(request.Path.Value, ExportPath, StringComparison.Ordinal))
        {
            GrpcResponseWriter.WriteStatus(response, GrpcStatusCode.Unimplemented,
                $"Method '{request.Path}' is not implemented; this server offers {ExportPath}.");
            return;
        }
        if (!codecSupported)
        {
            _ingest.RecordRefusal(RequestRefusal.Unsupported);
            GrpcResponseWriter.WriteStatus(response, GrpcStatusCode.Unimplemented,
                $"Content type '{request.ContentType}' is not supported; send application/grpc (protobuf).");
            return;
        }
        string? grpcEncoding = request.Headers["grpc-encoding"];
        if (!ContentCodings.TryParse(grpcEncoding, out var encoding))
        {
            _ingest.RecordRefusal(RequestRefusal.Unsupported);
            GrpcResponseWriter.WriteStatus(response, GrpcStatusCode.Unimplemented,
                $"grpc-encoding '{grpcEncoding}' is not supported; use {GrpcResponseWriter.AcceptEncoding} or identity.");
            return;
        }

        string? grpcTimeout = request.Headers["grpc-timeout"];
        if (!GrpcTimeout.TryParse(grpcTimeout, out var timeout))
        {
            _ingest.RecordRefusal(RequestRefusal.Malformed);
            GrpcResponseWriter.WriteStatus(response, GrpcStatusCode.InvalidArgument,
                $"grpc-timeout '{grpcTimeout}' is malformed; send up to 8 digits and a unit (H, M, S, m, u, n), e.g. 10S.");
            return;
        }

        // The client's deadline covers reading the message and waiting for the store; past it the client
        // has given up, and the answer says so instead of arriving too late to be read.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        if (timeout is { } limit) deadline.CancelAfter(limit);
        try
        {
            await ExportAsync(request, response, encoding, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            GrpcResponseWriter.WriteStatus(response, GrpcStatusCode.DeadlineExceeded,
                $"The deadline of {grpcTimeout} passed before the spans were stored. Spans already queued are still stored, so a retry may store them twice.");
        }
    }

    private async Task ExportAsync(HttpRequest request, HttpResponse response, ContentCoding encoding, CancellationToken cancellationToken)
    {
        GrpcReadResult<DecodedSpans> read;
        try
        {
            read = await GrpcUnaryReader.ReadAsync(request.BodyReader, encoding, _maxMessageBytes,
                static message => OtlpProtobufDecoder.DecodeExportRequest(message, DecodeLimits.Default), cancellationToken).ConfigureAwait(false);
        }
        catch (ProtocolException ex)
        {
            _ingest.RecordRefusal(RequestRefusal.Malformed);
            GrpcResponseWriter.WriteStatus(response, GrpcStatusCode.InvalidArgument, "The message is not a valid ExportTraceServiceRequest: " + ex.Message);
            return;
        }
        if (read.Status != GrpcStatusCode.Ok)
        {
            _ingest.RecordRefusal(read.Status == GrpcStatusCode.ResourceExhausted ? RequestRefusal.TooLarge : RequestRefusal.Malformed);
            GrpcResponseWriter.WriteStatus(response, read.Status, read.Error);
            return;
        }

        var result = await _ingest.IngestAsync(read.Value!, cancellationToken).ConfigureAwait(false);
        var answer = GrpcIngestAnswer.For(result.Outcome);
        if (answer.Status == GrpcStatusCode.Ok)
        {
            var reply = OtlpProtobufEncoder.EncodeExportResponse(result.RejectedSpans, result.Message);
            // Stored: the client hears so even if its deadline passes while the answer is written.
            await GrpcResponseWriter.WriteMessageAsync(response, reply, response.HttpContext.RequestAborted).ConfigureAwait(false);
            GrpcResponseWriter.WriteStatus(response, GrpcStatusCode.Ok);
            return;
        }
        GrpcResponseWriter.WriteStatus(response, answer.Status, result.Message, answer.RetryHint ? result.RetryAfter : null);
    }

    /// <summary>
    /// True for <c>application/grpc</c> and its <c>+suffix</c> forms; <paramref name="codecSupported"/>
    /// says whether the suffix is one this receiver decodes (none, or <c>+proto</c>).
    /// </summary>
    private static bool IsGrpcContentType(string? contentType, out bool codecSupported)
    {
        codecSupported = false;
        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed)) return false;
        var mediaType = parsed.MediaType.AsSpan();
        const string grpc = "application/grpc";
        if (!mediaType.StartsWith(grpc, StringComparison.OrdinalIgnoreCase)) return false;
        var suffix = mediaType[grpc.Length..];
        if (suffix.IsEmpty || suffix.Equals("+proto", StringComparison.OrdinalIgnoreCase))
        {
            codecSupported = true;
            return true;
        }
        return suffix[0] == '+';
    }
}
