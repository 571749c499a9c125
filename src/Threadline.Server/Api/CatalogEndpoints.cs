using Microsoft.AspNetCore.Http;
using Threadline.Query.Parameters;
using Threadline.Query.Search;

namespace Threadline.Server.Api;

/// <summary>
/// What the store has seen, for pickers and autocompletion: services, their operations,
/// attribute keys and the values of one key.
/// </summary>
internal sealed class CatalogEndpoints
{
    private readonly TraceSearchService _search;

    public CatalogEndpoints(TraceSearchService search) => _search = search;

    /// <summary><c>GET /api/v1/services</c> → <c>{"services":[…]}</c>.</summary>
    public async Task ServicesAsync(HttpContext context)
    {
        var services = await _search.GetServicesAsync(context.RequestAborted).ConfigureAwait(false);
        await ApiResponses.StringListAsync(context.Response, "services", services, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/v1/services/{service}/operations</c> → <c>{"operations":[{"name","kind"}]}</c>.</summary>
    public async Task OperationsAsync(HttpContext context)
    {
        var service = context.Request.RouteValues["service"] as string ?? string.Empty;
        var operations = await _search.GetOperationsAsync(service, context.RequestAborted).ConfigureAwait(false);
        await ApiResponses.JsonAsync(context.Response, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("operations");
            foreach (var operation in operations)
            {
                writer.WriteStartObject();
                writer.WriteString("name", operation.Name);
                writer.WriteString("kind", SpanEnumNames.Kind(operation.Kind));
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/v1/tags</c> → <c>{"tags":[…]}</c>.</summary>
    public async Task TagKeysAsync(HttpContext context)
    {
        var keys = await _search.GetTagKeysAsync(context.RequestAborted).ConfigureAwait(false);
        await ApiResponses.StringListAsync(context.Response, "tags", keys, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/v1/tags/{key}/values?limit=</c> → <c>{"values":[…]}</c>.</summary>
    public async Task TagValuesAsync(HttpContext context)
    {
        var key = context.Request.RouteValues["key"] as string ?? string.Empty;
        if (!TagValuesQueryParser.TryParseLimit(new QueryStringParameters(context.Request.Query), out var limit, out var error))
        {
            await ApiResponses.BadRequestAsync(context.Response, error, context.RequestAborted).ConfigureAwait(false);
            return;
        }
        var values = await _search.GetTagValuesAsync(key, limit, context.RequestAborted).ConfigureAwait(false);
        await ApiResponses.StringListAsync(context.Response, "values", values, context.RequestAborted).ConfigureAwait(false);
    }
}
