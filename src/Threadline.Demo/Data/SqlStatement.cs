namespace Threadline.Demo.Data;

/// <summary>
/// One parameterised statement and what its span says about it. The SQL text carries placeholders
/// only, never values, so db.query.text is safe to export and its cardinality stays low.
/// </summary>
/// <param name="Operation">db.operation.name: SELECT, INSERT, UPDATE, …</param>
/// <param name="Table">db.collection.name: the table the statement is about.</param>
/// <param name="Sql">The statement, with <c>$name</c> placeholders.</param>
/// <param name="Parameters">The values of the placeholders.</param>
/// <param name="MedianLatencyMilliseconds">
/// How long the statement would take on a networked database; the in-memory one answers in
/// microseconds, which would make every database span look free.
/// </param>
/// <param name="LatencySpread">σ of the log-normal latency.</param>
internal sealed record SqlStatement(
    string Operation,
    string Table,
    string Sql,
    IReadOnlyList<KeyValuePair<string, object>> Parameters,
    double MedianLatencyMilliseconds = 1.5,
    double LatencySpread = 0.5)
{
    public static SqlStatement Create(string operation, string table, string sql, params (string Name, object Value)[] parameters) =>
        new(operation, table, sql, [.. parameters.Select(p => new KeyValuePair<string, object>(p.Name, p.Value))]);
}
