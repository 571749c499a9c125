using System.Globalization;
using Microsoft.Extensions.Logging;
using Threadline.Storage.ClickHouse.Http;
using Threadline.Storage.ClickHouse.Sql;

namespace Threadline.Storage.ClickHouse;

// Retention by whole days: tables are partitioned by the day spans start, and a day older than
// the retention is dropped in one ALTER per table, which frees its files at once (no mutation,
// no merge). Every node drops on its own server; in a cluster each shard needs a node.
public sealed partial class ClickHouseTraceStore
{
    private static readonly TimeSpan RetentionInterval = TimeSpan.FromMinutes(10);

    /// <summary>Drops the day partitions wholly older than the retention on the connected server; returns how many.</summary>
    public async Task<int> DropExpiredPartitionsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var layout = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // A day goes only when its last instant is older than the retention.
        var cutoff = DateOnly.FromDateTime((now - _options.RetentionPeriod).UtcDateTime.AddDays(-1));
        var tables = string.Join(", ", layout.LocalTableNames.Select(SqlLiteral.String));
        var database = SqlLiteral.String(_options.Database);
        var answer = await _connection.QueryAsync(
            $"SELECT DISTINCT table, partition_id FROM system.parts WHERE active AND database = {database} AND table IN ({tables}) " +
            $"AND partition_id <= {SqlLiteral.String(cutoff.ToString("yyyyMMdd", CultureInfo.InvariantCulture))}",
            cancellationToken).ConfigureAwait(false);
        var partitions = new List<(string Table, string Partition)>();
        var reader = new RowBinaryReader(answer);
        while (!reader.AtEnd) partitions.Add((reader.String(), reader.String()));

        foreach (var (table, partition) in partitions)
        {
            if (partition.Length != 8 || !partition.All(char.IsAsciiDigit)) continue;
            await _connection.ExecuteAsync(
                $"ALTER TABLE {layout.Database}.{SqlLiteral.Identifier(table)} DROP PARTITION ID {SqlLiteral.String(partition)}",
                cancellationToken).ConfigureAwait(false);
        }
        return partitions.Count;
    }

    private async Task RunRetentionAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(RetentionInterval);
        do
        {
            try
            {
                var dropped = await DropExpiredPartitionsAsync(DateTimeOffset.UtcNow, stopping).ConfigureAwait(false);
                if (dropped > 0) _logger?.LogInformation("Retention dropped {Count} day partitions older than {Retention}.", dropped, _options.Retention);
            }
            catch (StoreUnavailableException e)
            {
                _logger?.LogWarning("Retention could not run: {Message}", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false));
    }
}
