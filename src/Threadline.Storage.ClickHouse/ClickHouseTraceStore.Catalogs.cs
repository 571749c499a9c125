using Threadline.Core.Model;
using Threadline.Storage.ClickHouse.Http;
using Threadline.Storage.ClickHouse.Ingest;
using Threadline.Storage.ClickHouse.Sql;
using Threadline.Storage.Fetch;

namespace Threadline.Storage.ClickHouse;

// Catalogs: DISTINCT queries over the typed columns and key arrays, sorted here ordinally (the
// server sorts UTF-8 bytes, the contract UTF-16 code units). Values of event and link
// attributes are only in span bodies, so their catalog decodes the spans that have the key.
public sealed partial class ClickHouseTraceStore
{
    // Distinct values read per type before sorting and cutting to the caller's limit.
    private const int MaxCatalogRows = 10_000;

    public ValueTask<IReadOnlyList<string>> GetServicesAsync(CancellationToken cancellationToken) =>
        GetServicesAsync(new CatalogRequest(), cancellationToken);

    public ValueTask<IReadOnlyList<Operation>> GetOperationsAsync(string service, CancellationToken cancellationToken) =>
        GetOperationsAsync(new CatalogRequest(), service, cancellationToken);

    public ValueTask<IReadOnlyList<string>> GetTagKeysAsync(CancellationToken cancellationToken) =>
        GetAttributeKeysAsync(new CatalogRequest(), ConditionScope.Any, cancellationToken);

    public async ValueTask<IReadOnlyList<string>> GetTagValuesAsync(string key, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (limit <= 0) return [];
        var values = await AttributeValuesAsync(new CatalogRequest(), ConditionScope.Any, key, cancellationToken).ConfigureAwait(false);
        // Distinct again as text: the integer 1 and the string "1" are one value to a user.
        return [.. values.Select(v => v.ToString()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Take(limit)];
    }

    public async ValueTask<IReadOnlyList<string>> GetServicesAsync(CatalogRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Tenant.IsSingle) return [];
        var layout = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var answer = await _connection.QueryAsync($"SELECT DISTINCT service_name FROM {layout.Spans} WHERE {Range(request)}", cancellationToken).ConfigureAwait(false);
        return Strings(answer).Order(StringComparer.Ordinal).ToArray();
    }

    public async ValueTask<IReadOnlyList<Operation>> GetOperationsAsync(CatalogRequest request, string service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(service);
        if (!request.Tenant.IsSingle || !SqlLiteral.Fits(service)) return [];
        var layout = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var answer = await _connection.QueryAsync(
            $"SELECT DISTINCT name, kind FROM {layout.Spans} WHERE service_name = {SqlLiteral.String(service)} AND {Range(request)}",
            cancellationToken).ConfigureAwait(false);
        var operations = new List<Operation>();
        var reader = new RowBinaryReader(answer);
        while (!reader.AtEnd) operations.Add(new Operation(reader.String(), (SpanKind)reader.UInt8()));
        return [.. operations.OrderBy(o => o.Name, StringComparer.Ordinal).ThenBy(o => o.Kind)];
    }

    public async ValueTask<IReadOnlyList<string>> GetAttributeKeysAsync(CatalogRequest request, ConditionScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        SpanMatching.CheckCatalogScope(scope);
        if (!request.Tenant.IsSingle) return [];
        var layout = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var arrays = scope switch
        {
            ConditionScope.Span => KeyArrays("span"),
            ConditionScope.Resource => KeyArrays("res"),
            ConditionScope.Event => "event_keys",
            ConditionScope.Link => "link_keys",
            _ => KeyArrays("span") + ", " + KeyArrays("res"),
        };
        var answer = await _connection.QueryAsync(
            $"SELECT DISTINCT arrayJoin(arrayConcat({arrays})) AS key FROM {layout.Spans} WHERE {Range(request)}",
            cancellationToken).ConfigureAwait(false);
        return Strings(answer).Order(StringComparer.Ordinal).ToArray();
    }

    public async ValueTask<IReadOnlyList<AttributeValue>> GetAttributeValuesAsync(
        CatalogRequest request, ConditionScope scope, string key, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(key);
        SpanMatching.CheckCatalogScope(scope);
        if (limit <= 0 || !request.Tenant.IsSingle) return [];
        var values = await AttributeValuesAsync(request, scope, key, cancellationToken).ConfigureAwait(false);
        return [.. values.Order(AttributeValueOrder.Instance).Take(limit)];
    }

    // Distinct scalar values of the key in the scope (strings no longer than the catalog allows).
    private async Task<HashSet<AttributeValue>> AttributeValuesAsync(CatalogRequest request, ConditionScope scope, string key, CancellationToken cancellationToken)
    {
        var values = new HashSet<AttributeValue>();
        if (!SqlLiteral.Fits(key)) return values;
        var layout = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var k = SqlLiteral.String(key);
        var range = Range(request);

        if (scope is ConditionScope.Event or ConditionScope.Link)
        {
            var column = scope == ConditionScope.Event ? "event_keys" : "link_keys";
            var bodies = await _connection.QueryAsync(
                $"SELECT body FROM {layout.Spans} WHERE has({column}, {k}) AND {range} LIMIT {MaxCatalogRows}", cancellationToken).ConfigureAwait(false);
            var reader = new RowBinaryReader(bodies);
            while (!reader.AtEnd)
            {
                var span = SpanBody.Decode(reader.Blob());
                foreach (var attributes in SpanMatching.AttributesIn(span, scope))
                {
                    foreach (var attribute in attributes)
                    {
                        if (attribute.Key == key && IsCatalogued(attribute.Value)) values.Add(attribute.Value);
                    }
                }
            }
            return values;
        }

        string[] prefixes = scope switch { ConditionScope.Span => ["span"], ConditionScope.Resource => ["res"], _ => ["span", "res"] };
        foreach (var prefix in prefixes)
        {
            await AddValuesAsync(values, $"{prefix}_str", "String", k, range, $" AND length(v) <= {_options.MaxCatalogValueLength}", cancellationToken).ConfigureAwait(false);
            await AddValuesAsync(values, $"{prefix}_int", "Int64", k, range, "", cancellationToken).ConfigureAwait(false);
            await AddValuesAsync(values, $"{prefix}_dbl", "Float64", k, range, "", cancellationToken).ConfigureAwait(false);
            await AddValuesAsync(values, $"{prefix}_bool", "UInt8", k, range, "", cancellationToken).ConfigureAwait(false);
        }
        return values;
    }

    private async Task AddValuesAsync(HashSet<AttributeValue> values, string columns, string type, string key, string range, string extra, CancellationToken cancellationToken)
    {
        var layout = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var answer = await _connection.QueryAsync(
            $"SELECT DISTINCT v FROM {layout.Spans} ARRAY JOIN {columns}_keys AS k, {columns}_values AS v " +
            $"WHERE k = {key} AND {range}{extra} LIMIT {MaxCatalogRows}",
            cancellationToken).ConfigureAwait(false);
        var reader = new RowBinaryReader(answer);
        while (!reader.AtEnd)
        {
            values.Add(type switch
            {
                "String" => AttributeValue.FromString(reader.String()),
                "Int64" => AttributeValue.FromInt(reader.Int64()),
                "Float64" => AttributeValue.FromDouble(reader.Float64()),
                _ => AttributeValue.FromBool(reader.UInt8() != 0),
            });
        }
    }

    private bool IsCatalogued(AttributeValue value) => value.Type switch
    {
        AttributeType.String => value.AsString().Length <= _options.MaxCatalogValueLength,
        AttributeType.Int or AttributeType.Double or AttributeType.Bool => true,
        _ => false,
    };

    private static string KeyArrays(string prefix) =>
        $"{prefix}_str_keys, {prefix}_int_keys, {prefix}_dbl_keys, {prefix}_bool_keys, {prefix}_other_keys";

    private static string Range(CatalogRequest request) =>
        $"start_ns >= {SqlLiteral.UInt(request.StartTimeUnixNano)}" +
        (request.EndTimeUnixNano == 0 ? "" : $" AND start_ns < {SqlLiteral.UInt(request.EndTimeUnixNano)}");

    private static List<string> Strings(byte[] answer)
    {
        var strings = new List<string>();
        var reader = new RowBinaryReader(answer);
        while (!reader.AtEnd) strings.Add(reader.String());
        return strings;
    }
}
