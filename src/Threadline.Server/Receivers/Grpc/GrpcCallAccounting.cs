using System.Globalization;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Threadline.Pipeline.Ingest;
using Threadline.Protocol.Grpc;
using Threadline.Server.Hosting;

namespace Threadline.Server.Receivers.Grpc;

/// <summary>
/// Wraps every call on the gRPC port, around Grpc.AspNetCore. It counts the calls Grpc.AspNetCore
/// refuses before <see cref="OtlpTraceGrpcService"/> hands spans to the ingest service (which counts
/// the rest), and restates the framing errors Grpc.AspNetCore reports as INTERNAL or UNKNOWN as the
/// client errors they are: INVALID_ARGUMENT, with a message that says what was wrong.
/// </summary>
internal sealed class GrpcCallAccounting
{
    private static readonly object IngestedKey = new();

    // Grpc.AspNetCore's own texts for a request that is not exactly one whole message.
    private const string IncompleteMessage = "Incomplete message.";
    private const string AdditionalData = "Additional data after the message received.";

    private readonly TraceIngestService _ingest;

    public GrpcCallAccounting(TraceIngestService ingest) => _ingest = ingest;

    /// <summary>Says the call reached the ingest service, which counts its outcome itself.</summary>
    public static void MarkIngested(HttpContext context) => context.Items[IngestedKey] = true;

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        await next(context).ConfigureAwait(false);
        // A call routed elsewhere got the wrong-port guide, which counts it; one that reached the
        // ingest service was counted there.
        if (context.GetEndpoint()?.Metadata.GetMetadata<ListenerRoleMetadata>()?.Role != ListenerRole.OtlpGrpc) return;
        if (context.Items.ContainsKey(IngestedKey)) return;

        var response = context.Response;
        if (response.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            _ingest.RecordRefusal(RequestRefusal.Unsupported);
            return;
        }

        var (status, message) = Outcome(context);
        if (status is null or StatusCode.OK) return;

        // A trailers-only answer (no message was written) still has its status in headers we may change.
        if (!response.HasStarted && Restated(status.Value, message) is { } restated)
        {
            response.Headers[GrpcStatusTrailers.Status] = ((int)StatusCode.InvalidArgument).ToString(CultureInfo.InvariantCulture);
            response.Headers[GrpcStatusTrailers.Message] = restated; // printable ASCII: needs no percent-encoding
            status = StatusCode.InvalidArgument;
        }

        switch (status)
        {
            case StatusCode.ResourceExhausted:
                _ingest.RecordRefusal(RequestRefusal.TooLarge);
                break;
            case StatusCode.Unimplemented:
                _ingest.RecordRefusal(RequestRefusal.Unsupported);
                break;
            case StatusCode.InvalidArgument or StatusCode.Internal or StatusCode.Unknown:
                _ingest.RecordRefusal(RequestRefusal.Malformed);
                break;
        }
    }

    /// <summary>The client error behind a framing failure, or null to leave the answer as it is.</summary>
    private static string? Restated(StatusCode status, string? message) => (status, message) switch
    {
        (StatusCode.Internal, IncompleteMessage) =>
            "The request ended before one whole gRPC message arrived (an empty body, a cut-off 5-byte prefix, or fewer bytes than the prefix announces); Export takes exactly one ExportTraceServiceRequest.",
        (StatusCode.Internal, AdditionalData) =>
            "The request carries more than one message; Export is a unary call that takes exactly one ExportTraceServiceRequest.",
        // Before the service runs, only reading the request throws: a compressed flag other than 0 or 1.
        (StatusCode.Unknown, _) =>
            "The gRPC message prefix is malformed: its compressed flag must be 0 or 1.",
        _ => null,
    };

    private static (StatusCode? Status, string? Message) Outcome(HttpContext context)
    {
        var headers = context.Response.Headers;
        var trailers = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers;
        string? status = headers[GrpcStatusTrailers.Status];
        string? message = headers[GrpcStatusTrailers.Message];
        if (status is null && trailers is not null)
        {
            status = trailers[GrpcStatusTrailers.Status];
            message = trailers[GrpcStatusTrailers.Message];
        }
        if (!int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out var code)) return (null, null);
        return ((StatusCode)code, message is null ? null : Uri.UnescapeDataString(message));
    }
}
