using Microsoft.AspNetCore.Http;
using Threadline.Protocol;
using Threadline.Protocol.Otlp;
using Threadline.Pipeline.Ingest;
using Threadline.Server.Receivers.Body;

namespace Threadline.Server.Receivers.Http;

/// <summary>
/// OTLP/HTTP: <c>POST /v1/traces</c> with a protobuf or JSON ExportTraceServiceRequest, optionally
/// gzipped. A thin edge over <see cref="TraceIngestService"/>; answers in the request's encoding.
/// </summary>
internal sealed class OtlpHttpTraceReceiver
{
    public const string Path = "/v1/traces";

    private static readonly BodyDecoder JsonDecoder = static body => OtlpJsonDecoder.DecodeExportRequest(body, DecodeLimits.Default);
    private static readonly BodyDecoder ProtobufDecoder = static body => OtlpProtobufDecoder.DecodeExportRequest(body, DecodeLimits.Default);

    private readonly TraceIngestService _ingest;
    private readonly int _maxBodyBytes;

    public OtlpHttpTraceReceiver(TraceIngestService ingest, int maxBodyBytes)
    {
        _ingest = ingest;
        _maxBodyBytes = maxBodyBytes;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var cancellationToken = context.RequestAborted;

        if (!OtlpHttpFormats.TryParse(request.ContentType, out var format))
        {
            _ingest.RecordRefusal(RequestRefusal.Unsupported);
            await OtlpHttpResponses.UnsupportedMediaTypeAsync(response, OtlpHttpFormat.Json,
                $"Content-Type '{request.ContentType}' is not supported; send {OtlpHttpFormats.ProtobufContentType} or {OtlpHttpFormats.JsonContentType}.",
                cancellationToken).ConfigureAwait(false);
            return;
        }
        string? contentEncoding = request.Headers.ContentEncoding;
        if (!ContentCodings.TryParse(contentEncoding, out var coding))
        {
            _ingest.RecordRefusal(RequestRefusal.Unsupported);
            await OtlpHttpResponses.UnsupportedMediaTypeAsync(response, format,
                $"Content-Encoding '{contentEncoding}' is not supported; send gzip or identity.", cancellationToken).ConfigureAwait(false);
            return;
        }

        var body = format == OtlpHttpFormat.Json
            ? await HttpExportBody.ReadAsync(request, coding, _maxBodyBytes, JsonDecoder, "a valid OTLP/JSON ExportTraceServiceRequest", cancellationToken).ConfigureAwait(false)
            : await HttpExportBody.ReadAsync(request, coding, _maxBodyBytes, ProtobufDecoder, "a valid OTLP protobuf ExportTraceServiceRequest", cancellationToken).ConfigureAwait(false);
        if (body.Spans is not { } decoded)
        {
            _ingest.RecordRefusal(body.Refusal);
            await (body.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? OtlpHttpResponses.TooLargeAsync(response, format, body.Error!, cancellationToken)
                : OtlpHttpResponses.BadRequestAsync(response, format, body.Error!, cancellationToken)).ConfigureAwait(false);
            return;
        }

        // The pooled body is back in the pool before the (possibly slow) wait for the store.
        var result = await _ingest.IngestAsync(decoded, cancellationToken).ConfigureAwait(false);
        var answer = OtlpHttpIngestAnswer.For(result.Outcome);
        if (answer.StatusCode != StatusCodes.Status200OK)
        {
            await OtlpHttpResponses.IngestRefusedAsync(response, format, answer, result.Message!, result.RetryAfter, cancellationToken).ConfigureAwait(false);
            return;
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = format.ContentType();
        var reply = format == OtlpHttpFormat.Json
            ? OtlpJsonEncoder.EncodeExportResponse(result.RejectedSpans, result.Message)
            : OtlpProtobufEncoder.EncodeExportResponse(result.RejectedSpans, result.Message);
        await response.Body.WriteAsync(reply, cancellationToken).ConfigureAwait(false);
    }
}
