using System.Net;
using System.Text;

namespace Threadline.Storage.ClickHouse.Http;

/// <summary>
/// Talks to one ClickHouse server over its HTTP interface: statements and queries in the
/// request body, inserts as RowBinary bodies under an <c>INSERT … FORMAT RowBinary</c> in the
/// URL, answers read as RowBinary. Any failure (refused connection, timeout, an error the
/// server reports) becomes a <see cref="StoreUnavailableException"/> naming the server and
/// what it said, so that receivers answer 503 with Retry-After and never acknowledge spans the
/// server did not take.
/// </summary>
internal sealed class ClickHouseConnection : IDisposable
{
    // Room for the longest literals the engine sends (SqlLiteral.MaxStringBytes, a few of them)
    // and for the trace-id lists of a fetch; the server's default is 256 KiB.
    private const int MaxQueryBytes = 4 << 20;

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly string _settings;

    /// <param name="endpoint">The server's HTTP interface, e.g. http://127.0.0.1:8123.</param>
    /// <param name="database">The database unqualified names refer to; null for the server's default.</param>
    /// <param name="timeout">How long one request may take before the server counts as unavailable.</param>
    public ClickHouseConnection(Uri endpoint, string? database, TimeSpan timeout)
    {
        _endpoint = endpoint;
        var settings = new StringBuilder("max_query_size=").Append(MaxQueryBytes)
            // Inserts through a Distributed table return only once every shard has its rows, so
            // an acknowledged batch is on the shards, not in a local queue.
            .Append("&insert_distributed_sync=1")
            // LowCardinality columns need this on 18.x; later servers ignore it.
            .Append("&allow_experimental_low_cardinality_type=1");
        if (database is not null) settings.Append("&database=").Append(Uri.EscapeDataString(database));
        _settings = settings.ToString();
        _http = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(2),
            MaxConnectionsPerServer = 32,
        })
        { Timeout = timeout };
    }

    public Uri Endpoint => _endpoint;

    /// <summary>Runs a statement (DDL, ALTER) and returns the server's text answer.</summary>
    public async Task<string> ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        using var content = new StringContent(sql, Encoding.UTF8);
        var bytes = await SendAsync(Url(null), content, sql, cancellationToken).ConfigureAwait(false);
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Runs a query and returns its rows in RowBinary (the query must not name a format).</summary>
    public Task<byte[]> QueryAsync(string sql, CancellationToken cancellationToken)
    {
        var content = new StringContent(sql + "\nFORMAT RowBinary", Encoding.UTF8);
        // The server otherwise starts answering 200 before the query ends, and an error met
        // later arrives as text after rows already sent; waiting makes every failure a status.
        return SendAndDisposeAsync(Url(null, "&wait_end_of_query=1"), content, sql, cancellationToken);
    }

    /// <summary>Inserts RowBinary rows into <paramref name="table"/>'s <paramref name="columns"/>.</summary>
    public async Task InsertAsync(string table, string columns, ReadOnlyMemory<byte> rows, CancellationToken cancellationToken)
    {
        var statement = $"INSERT INTO {table} ({columns}) FORMAT RowBinary";
        using var content = new ReadOnlyMemoryContent(rows);
        await SendAsync(Url(statement), content, statement, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _http.Dispose();

    private async Task<byte[]> SendAndDisposeAsync(Uri url, HttpContent content, string what, CancellationToken cancellationToken)
    {
        using (content) return await SendAsync(url, content, what, cancellationToken).ConfigureAwait(false);
    }

    private Uri Url(string? query, string extra = "") =>
        new(_endpoint, "/?" + _settings + extra + (query is null ? "" : "&query=" + Uri.EscapeDataString(query)));

    private async Task<byte[]> SendAsync(Uri url, HttpContent content, string what, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.PostAsync(url, content, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new StoreUnavailableException($"ClickHouse at {_endpoint} cannot be reached: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new StoreUnavailableException($"ClickHouse at {_endpoint} did not answer within {_http.Timeout.TotalSeconds:0.#} s.", e);
        }

        using (response)
        {
            byte[] body;
            try
            {
                body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new StoreUnavailableException($"ClickHouse at {_endpoint} broke off its answer: {e.Message}", e);
            }
            if (response.StatusCode == HttpStatusCode.OK) return body;
            var message = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 2000)).Trim();
            throw new StoreUnavailableException(
                $"ClickHouse at {_endpoint} refused {Describe(what)} (HTTP {(int)response.StatusCode}): {message}");
        }
    }

    private static string Describe(string sql)
    {
        var firstLine = sql.AsSpan().TrimStart();
        var end = firstLine.IndexOfAny('\n', '(');
        var head = (end < 0 ? firstLine : firstLine[..end]).Trim().ToString();
        return head.Length > 80 ? head[..80] + "…" : head;
    }
}
