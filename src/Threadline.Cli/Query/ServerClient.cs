using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Threadline.Cli.Query;

/// <summary>
/// The query commands' line to a running <c>threadline serve</c>: GETs on its API port, every
/// failure turned into a <see cref="ServerCallException"/> a user can act on (server down, a
/// refused request with the server's own message, a missing trace).
/// </summary>
internal sealed class ServerClient : IDisposable
{
    /// <summary>Where <c>serve</c> listens by default (docs/cli.md).</summary>
    public static readonly Uri DefaultServer = new("http://127.0.0.1:16686");

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly HttpClient _http;

    public ServerClient(Uri server)
    {
        Server = server;
        _http = new HttpClient { BaseAddress = server, Timeout = Timeout };
    }

    public Uri Server { get; }

    /// <summary>The body of a 200 answer to <paramref name="pathAndQuery"/>.</summary>
    /// <exception cref="ServerCallException">The server could not be reached or did not answer 200.</exception>
    public async Task<string> GetAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.GetAsync(new Uri(pathAndQuery, UriKind.Relative), cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new ServerCallException(ServerFailure.Unreachable, 0,
                $"cannot reach {Server} ({Reason(ex)}); is `threadline serve` running there? Start it, or point --server at it", null);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ServerCallException(ServerFailure.Unreachable, 0, $"{Server} did not answer within {Timeout.TotalSeconds:0} s", null);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.OK) return body;
            var (message, position) = ReadError(body);
            var failure = response.StatusCode switch
            {
                HttpStatusCode.BadRequest => ServerFailure.Refused,
                HttpStatusCode.NotFound => ServerFailure.NotFound,
                _ => ServerFailure.ServerError,
            };
            var text = message ?? $"{(int)response.StatusCode} {response.ReasonPhrase} from {Server}";
            throw new ServerCallException(failure, (int)response.StatusCode, text, position);
        }
    }

    public void Dispose() => _http.Dispose();

    private static string Reason(HttpRequestException ex) => ex.InnerException switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "connection refused",
        SocketException { SocketErrorCode: SocketError.HostNotFound } => "unknown host",
        SocketException socket => socket.Message,
        _ => ex.Message,
    };

    // The native API's error body: {"error":"…","parameter":"…"}, and for a TraceQL syntax error
    // also "line" and "column". Anything else (a proxy's page) is not quoted at the user.
    private static (string? Message, QueryPosition? Position) ReadError(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.String)
                return (null, null);
            QueryPosition? position = null;
            if (root.TryGetProperty("line", out var line) && line.TryGetInt32(out var lineNumber)
                && root.TryGetProperty("column", out var column) && column.TryGetInt32(out var columnNumber))
                position = new QueryPosition(lineNumber, columnNumber);
            return (error.GetString(), position);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}

/// <summary>Why a call to the server failed.</summary>
internal enum ServerFailure
{
    /// <summary>No connection, or no answer in time.</summary>
    Unreachable,

    /// <summary>400: the request (the query, a parameter) was refused.</summary>
    Refused,

    /// <summary>404: what was asked for is not there.</summary>
    NotFound,

    /// <summary>Any other status.</summary>
    ServerError,
}

/// <summary>A 1-based line and column in a query, as the server reports a syntax error.</summary>
internal readonly record struct QueryPosition(int Line, int Column);

/// <summary>A failed call to the server, with a message for the user and, for a syntax error, where.</summary>
internal sealed class ServerCallException(ServerFailure failure, int statusCode, string message, QueryPosition? position) : Exception(message)
{
    public ServerFailure Failure { get; } = failure;

    public int StatusCode { get; } = statusCode;

    public QueryPosition? Position { get; } = position;
}
