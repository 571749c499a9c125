using Microsoft.AspNetCore.Http;
using Threadline.Query.Parameters;

namespace Threadline.Server.Api;

/// <summary>An HTTP query string as the query layer's neutral <see cref="IQueryParameters"/>.</summary>
internal sealed class QueryStringParameters : IQueryParameters
{
    private readonly IQueryCollection _query;

    public QueryStringParameters(IQueryCollection query) => _query = query;

    public IEnumerable<string> Names => _query.Keys;

    public IReadOnlyList<string> Values(string name)
    {
        var values = _query[name];
        if (values.Count == 0) return [];
        var texts = new string[values.Count];
        for (var i = 0; i < texts.Length; i++) texts[i] = values[i] ?? string.Empty;
        return texts;
    }
}
