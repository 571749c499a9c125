using System.Globalization;
using Threadline.Storage.ClickHouse.Http;
using Threadline.Storage.ClickHouse.Sql;

namespace Threadline.Storage.ClickHouse.Schema;

/// <summary>
/// Creates and migrates the engine's schema on the server it is connected to. Versions are
/// numbered from 1; <c>schema_versions</c> records each one applied. Every step is idempotent
/// (<c>IF NOT EXISTS</c>), so nodes starting together against one server, or a step cut short,
/// only repeat work. Without ZooKeeper there is no <c>ON CLUSTER</c>: each node creates the
/// schema on the server of its own <c>--clickhouse-url</c>, so every shard needs a node (or a
/// one-off <c>serve</c>) pointed at it once.
/// </summary>
internal static class SchemaMigrations
{
    /// <summary>The schema version this build writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <exception cref="StoreUnavailableException">The server refused a step or cannot be reached.</exception>
    /// <exception cref="InvalidOperationException">The schema is newer than this build knows.</exception>
    public static async Task MigrateAsync(ClickHouseConnection connection, TableLayout layout, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync($"CREATE DATABASE IF NOT EXISTS {layout.Database}", cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(
            $"CREATE TABLE IF NOT EXISTS {layout.SchemaVersions} (version UInt32, applied DateTime) ENGINE = TinyLog",
            cancellationToken).ConfigureAwait(false);
        var answer = await connection.ExecuteAsync($"SELECT max(version) FROM {layout.SchemaVersions} FORMAT TSV", cancellationToken).ConfigureAwait(false);
        var applied = int.Parse(answer.Trim(), CultureInfo.InvariantCulture);
        if (applied > CurrentVersion)
            throw new InvalidOperationException(
                $"The ClickHouse schema in {layout.Database} is version {applied}; this build knows up to {CurrentVersion}. Upgrade Threadline.");

        for (var version = applied + 1; version <= CurrentVersion; version++)
        {
            foreach (var statement in Steps(version, layout)) await connection.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
            await connection.ExecuteAsync(
                $"INSERT INTO {layout.SchemaVersions} VALUES ({version}, now())", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The statements of one version, for this server's features and layout.</summary>
    public static IEnumerable<string> Steps(int version, TableLayout layout) => version switch
    {
        1 => Version1(layout),
        _ => throw new ArgumentOutOfRangeException(nameof(version), version, "No such schema version."),
    };

    private static IEnumerable<string> Version1(TableLayout layout)
    {
        var f = layout.Features;
        var name = f.LowCardinality ? "LowCardinality(String)" : "String";
        var time = f.Codecs ? " CODEC(Delta, ZSTD(1))" : "";
        var heavy = f.Codecs ? " CODEC(ZSTD(1))" : "";

        foreach (var statement in Table(layout, "spans",
            $"""
            timestamp DateTime{time},
            start_ns UInt64{time},
            duration_ns UInt64,
            trace_id FixedString(16),
            span_id FixedString(8),
            parent_span_id FixedString(8),
            service_name {name},
            name {name},
            kind UInt8,
            status_code UInt8,
            status_message String,
            {AttributeColumns("span")},
            {AttributeColumns("res")},
            event_keys Array(String),
            link_keys Array(String),
            body String{heavy}{(f.BloomFilterIndex ? ",\n    INDEX trace_id_bloom trace_id TYPE bloom_filter(0.01) GRANULARITY 4" : "")}
            """,
            "PARTITION BY toDate(timestamp) ORDER BY (service_name, start_ns)",
            "cityHash64(trace_id)")) yield return statement;

        foreach (var statement in Table(layout, "trace_index",
            $"""
            timestamp DateTime,
            trace_id FixedString(16),
            service_name {name},
            start_min UInt64,
            start_max UInt64,
            end_max UInt64
            """,
            "PARTITION BY toDate(timestamp) ORDER BY trace_id",
            "cityHash64(trace_id)")) yield return statement;

        foreach (var statement in Table(layout, "span_metrics",
            $"""
            timestamp DateTime,
            minute UInt32,
            service_name {name},
            span_name {name},
            kind UInt8,
            status_code UInt8,
            {TallyColumns}
            """,
            "PARTITION BY toDate(timestamp) ORDER BY (service_name, minute)",
            "rand()")) yield return statement;

        foreach (var statement in Table(layout, "service_graph",
            $"""
            timestamp DateTime,
            minute UInt32,
            caller {name},
            callee {name},
            connection_type UInt8,
            {TallyColumns}
            """,
            "PARTITION BY toDate(timestamp) ORDER BY (caller, callee, minute)",
            "rand()")) yield return statement;
    }

    // A pre-aggregated tally: counts, and the duration sketch's state (zero count, sum, and the
    // non-empty log buckets as parallel arrays, which sumMap adds up at read time).
    private const string TallyColumns =
        "count UInt64,\n    errors UInt64,\n    zero_count UInt64,\n    sum_ns Float64,\n    bucket_index Array(Int32),\n    bucket_count Array(UInt64)";

    // Typed key/value arrays per attribute type; arrays, key-value lists, bytes and empty values
    // are only listed by key (their values are in the span body).
    private static string AttributeColumns(string prefix) =>
        $"{prefix}_str_keys Array(String), {prefix}_str_values Array(String),\n    " +
        $"{prefix}_int_keys Array(String), {prefix}_int_values Array(Int64),\n    " +
        $"{prefix}_dbl_keys Array(String), {prefix}_dbl_values Array(Float64),\n    " +
        $"{prefix}_bool_keys Array(String), {prefix}_bool_values Array(UInt8),\n    " +
        $"{prefix}_other_keys Array(String)";

    private static IEnumerable<string> Table(TableLayout layout, string table, string columns, string ordering, string shardingKey)
    {
        var local = layout.Database + "." + SqlLiteral.Identifier(layout.LocalName(table));
        yield return $"CREATE TABLE IF NOT EXISTS {local} (\n    {columns}\n) ENGINE = MergeTree {ordering}";
        if (layout.Cluster is null) yield break;
        yield return
            $"CREATE TABLE IF NOT EXISTS {layout.Database}.{SqlLiteral.Identifier(table)} AS {local} " +
            $"ENGINE = Distributed({SqlLiteral.Identifier(layout.Cluster)}, {layout.Database.Trim('`')}, {layout.LocalName(table)}, {shardingKey})";
    }
}
