using System.Globalization;
using Microsoft.AspNetCore.Http;
using Threadline.Storage;

namespace Threadline.Server.Api;

/// <summary>
/// What the store has seen, for pickers and autocompletion: services, their operations,
/// attribute keys and the values of one key.
/// </summary>
internal sealed class CatalogEndpoints
{
    public const int DefaultTagValuesLimit = 100;
    public const int MaxTagValuesLimit = 10_000;

    private readonly ITraceStore _store;

    public CatalogEndpoints(ITraceStore store) => _store = store;

    /// <summary><c>GET /api/v1/services</c> → <c>{"services":[…]}</c>.</summary>
    public async Task ServicesAsync(HttpContext context)
    {
        var services = await _store.GetServicesAsync(context.RequestAborted).ConfigureAwait(false);
        await ApiResponses.StringListAsync(context.Response, "services", services, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/v1/services/{service}/operations</c> → <c>{"operations":[{"name","kind"}]}</c>.</summary>
    public async Task OperationsAsync(HttpContext context)
    {
        var service = context.Request.RouteValues["service"] as string ?? string.Empty;
        var operations = await _store.GetOperationsAsync(service, context.RequestAborted).ConfigureAwait(false);
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
        var keys = await _store.GetTagKeysAsync(context.RequestAborted).ConfigureAwait(false);
        await ApiResponses.StringListAsync(context.Response, "tags", keys, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/v1/tags/{key}/values?limit=</c> → <c>{"values":[…]}</c>.</summary>
    public async Task TagValuesAsync(HttpContext context)
    {
        var key = context.Request.RouteValues["key"] as string ?? string.Empty;
        var limit = DefaultTagValuesLimit;
        var limitText = context.Request.Query["limit"].ToString();
        if (limitText.Length > 0
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxTagValuesLimit))
        {
            await ApiResponses.BadRequestAsync(context.Response,
                ApiError.ForParameter("limit", $"is '{limitText}'; give a whole number from 1 to {MaxTagValuesLimit} (default {DefaultTagValuesLimit})"),
                context.RequestAborted).ConfigureAwait(false);
            return;
        }
        var values = await _store.GetTagValuesAsync(key, limit, context.RequestAborted).ConfigureAwait(false);
        await ApiResponses.StringListAsync(context.Response, "values", values, context.RequestAborted).ConfigureAwait(false);
    }
}
