using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Threadline.Protocol.Otlp;
using Threadline.Query.Parameters;
using Threadline.Query.Search;

namespace Threadline.Server.Api;

/// <summary>
/// <c>GET /api/v1/traces/{traceId}</c>: one whole trace as an OTLP ExportTraceServiceRequest,
/// JSON by default (the shape Tempo returns) or protobuf for <c>Accept: application/x-protobuf</c>.
/// </summary>
internal sealed class TraceEndpoint
{
    private readonly TraceSearchService _search;

    public TraceEndpoint(TraceSearchService search) => _search = search;

    public async Task HandleAsync(HttpContext context)
    {
        var response = context.Response;
        var cancellationToken = context.RequestAborted;
        var text = context.Request.RouteValues["traceId"] as string ?? string.Empty;
        if (!TraceIdParser.TryParse("traceId", text, out var traceId, out var error))
        {
            await ApiResponses.BadRequestAsync(response, error, cancellationToken).ConfigureAwait(false);
            return;
        }

        var spans = await _search.GetTraceAsync(traceId, cancellationToken).ConfigureAwait(false);
        if (spans.Count == 0)
        {
            await ApiResponses.ErrorAsync(response, StatusCodes.Status404NotFound,
                new ApiError(null, $"Trace {traceId} was not found."), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (WantsProtobuf(context.Request))
        {
            response.ContentType = "application/x-protobuf";
            await response.Body.WriteAsync(OtlpProtobufEncoder.EncodeExportRequest(spans), cancellationToken).ConfigureAwait(false);
            return;
        }

        response.ContentType = ApiResponses.JsonContentType;
        await using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            OtlpJsonEncoder.WriteExportRequest(writer, spans);
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool WantsProtobuf(HttpRequest request)
    {
        foreach (var accept in request.GetTypedHeaders().Accept)
        {
            if (accept.MediaType.Equals("application/x-protobuf", StringComparison.OrdinalIgnoreCase)
                || accept.MediaType.Equals("application/protobuf", StringComparison.OrdinalIgnoreCase))
                return true;
        }
        return false;
    }
}
