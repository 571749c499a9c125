namespace Threadline.Query.TraceQL.Ast;

/// <summary>
/// A parsed TraceQL query: a search (<see cref="Search"/>) or a metrics query
/// (<see cref="Metrics"/>), with its hints. <see cref="object.ToString"/> prints canonical TraceQL
/// that parses back to an equal query.
/// </summary>
public sealed record TraceQLQuery
{
    private TraceQLQuery(SpansetExpression? search, MetricsExpression? metrics, IReadOnlyList<QueryHint> hints)
    {
        Search = search;
        Metrics = metrics;
        Hints = hints;
    }

    public static TraceQLQuery ForSearch(SpansetExpression search, IReadOnlyList<QueryHint>? hints = null) =>
        new(search ?? throw new ArgumentNullException(nameof(search)), null, hints ?? []);

    public static TraceQLQuery ForMetrics(MetricsExpression metrics, IReadOnlyList<QueryHint>? hints = null) =>
        new(null, metrics ?? throw new ArgumentNullException(nameof(metrics)), hints ?? []);

    /// <summary>The spanset expression of a search; null for a metrics query.</summary>
    public SpansetExpression? Search { get; }

    /// <summary>The metrics expression of a metrics query; null for a search.</summary>
    public MetricsExpression? Metrics { get; }

    public IReadOnlyList<QueryHint> Hints { get; }

    public bool IsMetrics => Metrics is not null;

    /// <summary>The value of a hint, when given.</summary>
    public QueryHint? Hint(string name) => Hints.FirstOrDefault(h => h.Name == name);

    public override string ToString()
    {
        var body = Search?.ToString() ?? Metrics!.ToString();
        return Hints.Count == 0 ? body : body + " with (" + string.Join(", ", Hints) + ")";
    }

    public bool Equals(TraceQLQuery? other) =>
        other is not null && Equals(Search, other.Search) && Equals(Metrics, other.Metrics) && Hints.SequenceEqual(other.Hints);

    public override int GetHashCode() => HashCode.Combine(Search, Metrics, Hints.Count);
}
