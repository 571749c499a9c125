using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Threadline.Protocol;
using Threadline.Protocol.Zipkin;
using Threadline.Pipeline.Ingest;
using Threadline.Server.Receivers.Body;

namespace Threadline.Server.Receivers.Zipkin;

/// <summary>
/// Zipkin v2: <c>POST /api/v2/spans</c> with a JSON span list, optionally gzipped. Answers 202
/// once the store has the spans, as a Zipkin server does; errors are plain text.
/// </summary>
internal sealed class ZipkinSpansReceiver
{
    public const string Path = "/api/v2/spans";

    private readonly TraceIngestService _ingest;
    private readonly int _maxBodyBytes;

    public ZipkinSpansReceiver(TraceIngestService ingest, int maxBodyBytes)
    {
        _ingest = ingest;
        _maxBodyBytes = maxBodyBytes;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var cancellationToken = context.RequestAborted;

        // Zipkin reporters always send JSON; a missing Content-Type is taken to mean it too.
        if (request.ContentType is not null && !IsJson(request.ContentType))
        {
            _ingest.RecordRefusal(RequestRefusal.Unsupported);
            await TextAsync(response, StatusCodes.Status415UnsupportedMediaType,
                $"Content-Type '{request.ContentType}' is not supported; send Zipkin v2 JSON as application/json.", cancellationToken).ConfigureAwait(false);
            return;
        }
        string? contentEncoding = request.Headers.ContentEncoding;
        if (!ContentCodings.TryParse(contentEncoding, out var coding))
        {
            _ingest.RecordRefusal(RequestRefusal.Unsupported);
            await TextAsync(response, StatusCodes.Status415UnsupportedMediaType,
                $"Content-Encoding '{contentEncoding}' is not supported; send gzip or identity.", cancellationToken).ConfigureAwait(false);
            return;
        }

        var body = await HttpExportBody.ReadAsync(request, coding, _maxBodyBytes,
            static json => ZipkinJsonDecoder.Decode(json, DecodeLimits.Default), "a valid Zipkin v2 JSON span list", cancellationToken).ConfigureAwait(false);
        if (body.Spans is not { } decoded)
        {
            _ingest.RecordRefusal(body.Refusal);
            await TextAsync(response, body.StatusCode, body.Error!, cancellationToken).ConfigureAwait(false);
            return;
        }

        var result = await _ingest.IngestAsync(decoded, cancellationToken).ConfigureAwait(false);
        if (result.Outcome == IngestOutcome.Accepted && decoded.Spans.Count == 0 && decoded.RejectedSpans > 0)
        {
            // Nothing usable at all is the client's error; a partly valid list is kept and the rest counted.
            await TextAsync(response, StatusCodes.Status400BadRequest,
                $"All {decoded.RejectedSpans} spans were rejected: {decoded.ErrorMessage}", cancellationToken).ConfigureAwait(false);
            return;
        }
        var answer = ZipkinIngestAnswer.For(result.Outcome);
        if (answer.RetryHint) RetryAfterHeader.Set(response, result.RetryAfter);
        if (answer.StatusCode == StatusCodes.Status202Accepted)
            response.StatusCode = answer.StatusCode;
        else
            await TextAsync(response, answer.StatusCode, result.Message!, cancellationToken).ConfigureAwait(false);
    }

    private static bool IsJson(string contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private static async Task TextAsync(HttpResponse response, int statusCode, string message, CancellationToken cancellationToken)
    {
        response.StatusCode = statusCode;
        response.ContentType = "text/plain; charset=utf-8";
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(message), cancellationToken).ConfigureAwait(false);
    }
}
