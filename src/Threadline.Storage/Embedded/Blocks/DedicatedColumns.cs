using Threadline.Core.Model;

namespace Threadline.Storage.Embedded.Blocks;

/// <summary>
/// The span attributes with a Parquet column of their own (typed, so that other readers query
/// them directly and a search reads one narrow column). An attribute goes to its column only
/// when it has the column's type and is the first with its key on the span; otherwise it stays
/// in the generic attributes, so that nothing about it is lost.
/// </summary>
internal static class DedicatedColumns
{
    public static readonly IReadOnlyList<DedicatedColumn> All =
    [
        new("http.request.method", "http_request_method", AttributeType.String),
        new("http.response.status_code", "http_response_status_code", AttributeType.Int),
        new("http.route", "http_route", AttributeType.String),
        new("url.full", "url_full", AttributeType.String),
        new("server.address", "server_address", AttributeType.String),
        new("db.system.name", "db_system_name", AttributeType.String),
        new("db.query.text", "db_query_text", AttributeType.String),
        new("rpc.method", "rpc_method", AttributeType.String),
        new("rpc.service", "rpc_service", AttributeType.String),
        new("messaging.system", "messaging_system", AttributeType.String),
    ];

    private static readonly Dictionary<string, int> ByKey =
        All.Select((c, i) => (c.Key, i)).ToDictionary(p => p.Key, p => p.i, StringComparer.Ordinal);

    /// <summary>Whether some dedicated column has this key.</summary>
    public static bool IsDedicatedKey(string key) => ByKey.ContainsKey(key);

    /// <summary>The index of the column with this key, or -1.</summary>
    public static int IndexOfKey(string key) => ByKey.TryGetValue(key, out var index) ? index : -1;

    /// <summary>The index of the column an attribute with this key and type goes to, or -1.</summary>
    public static int IndexOf(in KeyValue attribute) =>
        ByKey.TryGetValue(attribute.Key, out var index) && All[index].Type == attribute.Value.Type ? index : -1;
}

internal sealed record DedicatedColumn(string Key, string ColumnName, AttributeType Type);
