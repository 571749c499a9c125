using System.Globalization;
using Microsoft.AspNetCore.Http;
using Threadline.Query.Search;

namespace Threadline.Server.Api;

/// <summary>
/// <c>GET /api/v1/search</c>: trace summaries matching span-level filters, newest first.
/// See docs/api.md for the parameters.
/// </summary>
internal sealed class SearchEndpoint
{
    private readonly TraceSearchService _search;

    public SearchEndpoint(TraceSearchService search) => _search = search;

    public async Task HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        if (!SearchQueryParser.TryParse(new QueryStringParameters(context.Request.Query), out var query, out var error))
        {
            await ApiResponses.BadRequestAsync(context.Response, error, cancellationToken).ConfigureAwait(false);
            return;
        }

        var traces = await _search.SearchAsync(query, cancellationToken).ConfigureAwait(false);
        await ApiResponses.JsonAsync(context.Response, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("traces");
            foreach (var trace in traces)
            {
                writer.WriteStartObject();
                writer.WriteString("traceId", trace.TraceId.ToString());
                writer.WriteString("rootServiceName", trace.RootServiceName);
                writer.WriteString("rootSpanName", trace.RootSpanName);
                // A string, as OTLP/JSON writes 64-bit integers: JavaScript numbers lose nanoseconds.
                writer.WriteString("startTimeUnixNano", trace.StartTimeUnixNano.ToString(CultureInfo.InvariantCulture));
                writer.WriteNumber("durationNanos", trace.DurationNanos);
                writer.WriteNumber("spanCount", trace.SpanCount);
                writer.WriteNumber("errorCount", trace.ErrorCount);
                writer.WriteStartArray("services");
                foreach (var service in trace.Services)
                {
                    writer.WriteStartObject();
                    writer.WriteString("name", service.ServiceName);
                    writer.WriteNumber("spanCount", service.SpanCount);
                    writer.WriteNumber("errorCount", service.ErrorCount);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }, cancellationToken).ConfigureAwait(false);
    }
}
