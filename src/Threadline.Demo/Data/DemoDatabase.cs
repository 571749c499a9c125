using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Threadline.Sdk;

namespace Threadline.Demo.Data;

/// <summary>
/// A service's own SQLite database, in memory, with a CLIENT span per statement carrying the
/// database semantic conventions (db.system.name, db.namespace, db.operation.name,
/// db.collection.name, db.query.text).
/// </summary>
internal sealed class DemoDatabase : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly string _name;

    // One connection, one statement at a time: an in-memory database lives in its connection, and
    // SQLite runs one writer at a time anyway.
    private readonly SemaphoreSlim _gate = new(1, 1);

    private DemoDatabase(SqliteConnection connection, string name)
    {
        _connection = connection;
        _name = name;
    }

    /// <summary>
    /// Opens an empty in-memory database and runs <paramref name="schema"/> (several statements)
    /// untraced: setup is not part of any request. Synchronous, as an in-memory database does no I/O.
    /// </summary>
    public static DemoDatabase Open(string name, string schema)
    {
        var connection = new SqliteConnection("Data Source=:memory:");
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = schema;
            command.ExecuteNonQuery();
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        return new DemoDatabase(connection, name);
    }

    /// <summary>Runs an INSERT, UPDATE or DELETE and returns the rows it changed.</summary>
    public Task<int> ExecuteAsync(SqlStatement statement, CancellationToken cancellationToken) =>
        RunAsync(statement, static (command, token) => command.ExecuteNonQueryAsync(token), cancellationToken);

    /// <summary>Runs a query and reads every row with <paramref name="read"/>.</summary>
    public Task<List<T>> QueryAsync<T>(SqlStatement statement, Func<SqliteDataReader, T> read, CancellationToken cancellationToken) =>
        RunAsync(statement, async (command, token) =>
        {
            var rows = new List<T>();
            await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            while (await reader.ReadAsync(token).ConfigureAwait(false)) rows.Add(read(reader));
            // The statement's span is current here: RunAsync started it around this call.
            Activity.Current.SetAttribute("db.response.returned_rows", (long)rows.Count);
            return rows;
        }, cancellationToken);

    private async Task<T> RunAsync<T>(SqlStatement statement, Func<SqliteCommand, CancellationToken, Task<T>> run, CancellationToken cancellationToken)
    {
        using var span = DemoTelemetry.Sqlite.StartSpan(
            $"{statement.Operation} {statement.Table}",
            ActivityKind.Client,
            [
                new("db.system.name", "sqlite"),
                new("db.namespace", _name),
                new("db.operation.name", statement.Operation),
                new("db.collection.name", statement.Table),
                new("db.query.text", statement.Sql),
            ]);
        try
        {
            T result;
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await using var command = _connection.CreateCommand();
                command.CommandText = statement.Sql;
                foreach (var (name, value) in statement.Parameters) command.Parameters.AddWithValue(name, value);
                result = await run(command, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
            await SimulatedWork.DelayAsync(statement.MedianLatencyMilliseconds, statement.LatencySpread, cancellationToken).ConfigureAwait(false);
            return result;
        }
        catch (SqliteException exception)
        {
            span.RecordException(exception);
            var code = exception.SqliteErrorCode.ToString(CultureInfo.InvariantCulture);
            span.SetAttribute("error.type", code);
            span.SetAttribute("db.response.status_code", code);
            span.SetSpanStatus(ActivityStatusCode.Error, exception.Message);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }
}
