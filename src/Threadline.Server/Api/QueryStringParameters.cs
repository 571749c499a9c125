using Microsoft.AspNetCore.Http;
using Threadline.Query.Parameters;

namespace Threadline.Server.Api;

/// <summary>
/// An HTTP query string as the query layer's neutral <see cref="IQueryParameters"/>. Names are
/// matched exactly, as the parsers name them: ASP.NET Core's collection ignores case, which would
/// read <c>LIMIT=x</c> as <c>limit</c> and then blame a parameter the client never sent.
/// </summary>
internal sealed class QueryStringParameters : IQueryParameters
{
    private readonly IQueryCollection _query;

    public QueryStringParameters(IQueryCollection query) => _query = query;

    public IEnumerable<string> Names => _query.Keys;

    public IReadOnlyList<string> Values(string name)
    {
        if (!_query.Keys.Contains(name, StringComparer.Ordinal)) return [];
        var values = _query[name];
        var texts = new string[values.Count];
        for (var i = 0; i < texts.Length; i++) texts[i] = values[i] ?? string.Empty;
        return texts;
    }
}
