using Threadline.Storage.ClickHouse.Sql;

namespace Threadline.Storage.ClickHouse.Schema;

/// <summary>
/// Where the engine's tables are and how they are written: on one server, each table under its
/// own name; in a cluster, a <c>…_local</c> MergeTree on every shard and a <c>Distributed</c>
/// table of the plain name over them, sharded by trace id so that a trace lives on one shard.
/// Reads and inserts always name the plain table; retention and migrations the local one.
/// </summary>
internal sealed class TableLayout
{
    public TableLayout(string database, string? cluster, ServerFeatures features)
    {
        Database = SqlLiteral.Identifier(database);
        Cluster = cluster;
        Features = features;
    }

    /// <summary>The database, quoted.</summary>
    public string Database { get; }

    public string? Cluster { get; }

    public ServerFeatures Features { get; }

    public string Spans => Name("spans");
    public string TraceIndex => Name("trace_index");
    public string SpanMetrics => Name("span_metrics");
    public string ServiceGraph => Name("service_graph");
    public string SchemaVersions => Database + ".schema_versions";

    /// <summary>The tables holding rows on this server (dropped partition by partition by retention).</summary>
    public IReadOnlyList<string> LocalTableNames => [Local("spans"), Local("trace_index"), Local("span_metrics"), Local("service_graph")];

    /// <summary>The MergeTree table of a logical table on this server.</summary>
    public string LocalName(string table) => Cluster is null ? table : table + "_local";

    private string Name(string table) => Database + "." + SqlLiteral.Identifier(table);

    private string Local(string table) => LocalName(table);
}
