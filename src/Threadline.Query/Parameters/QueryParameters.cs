namespace Threadline.Query.Parameters;

/// <summary>
/// <see cref="IQueryParameters"/> over a plain list of pairs, for callers without a query
/// string (the CLI, tests). Names are compared ordinally; a repeated name keeps every value.
/// </summary>
public sealed class QueryParameters : IQueryParameters
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];

    public QueryParameters(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        foreach (var (name, value) in pairs)
        {
            if (!_values.TryGetValue(name, out var values))
            {
                values = [];
                _values.Add(name, values);
                _names.Add(name);
            }
            values.Add(value);
        }
    }

    /// <summary>No parameters at all.</summary>
    public static QueryParameters None { get; } = new([]);

    public IEnumerable<string> Names => _names;

    public IReadOnlyList<string> Values(string name) =>
        _values.TryGetValue(name, out var values) ? values : [];
}
