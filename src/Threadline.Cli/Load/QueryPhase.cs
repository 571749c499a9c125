using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Threadline.Core.Synthetic;

namespace Threadline.Cli.Load;

/// <summary>How one kind of query fared: latency over the queries answered, and answers that were wrong.</summary>
/// <param name="Misses">Answers that lacked what was sent: a 404 for an acknowledged trace, a search without the trace it was built from.</param>
/// <param name="Note">Why the kind was skipped or cut short; null when it ran in full.</param>
internal sealed record QueryFigures(string Name, int Count, double MedianMs, double P99Ms, int Misses, int Failures, string? Note);

/// <summary>
/// The queries a storage run times after ingest, one at a time as a user's clicks would come, on
/// the traces the run sent (the acknowledged probes): trace by id, search by service and root
/// span name over the last hour, search by one user.id, and, where the server has them, TraceQL
/// search and metrics. Each kind stops after its count or its time budget.
/// </summary>
internal sealed class QueryPhase : IDisposable
{
    /// <summary>The TraceQL queries of issue #10, timed when the server has /api/v1/traceql.</summary>
    private static readonly (string Name, string Query)[] TraceQLSearches =
    [
        ("traceql 5xx", "{ span.http.response.status_code >= 500 }"),
        ("traceql structural", "{ resource.service.name = \"api-gateway\" } >> { span.db.system.name = \"sqlite\" && duration > 10ms }"),
    ];

    private const string TraceQLMetrics = "{ } | rate() by (resource.service.name)";

    private readonly HttpClient _http;
    private readonly Uri _api;
    private readonly IReadOnlyList<TraceProbe> _probes;
    private readonly int _queries;
    private readonly TimeSpan _budgetPerKind;
    private readonly Random _random;

    public QueryPhase(Uri api, IReadOnlyList<TraceProbe> probes, int queries, TimeSpan budgetPerKind, int seed)
    {
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(60) };
        _api = api;
        _probes = probes;
        _queries = queries;
        _budgetPerKind = budgetPerKind;
        _random = new Random(seed);
    }

    public async Task<List<QueryFigures>> RunAsync(CancellationToken cancellationToken)
    {
        var figures = new List<QueryFigures>();
        if (_probes.Count == 0)
        {
            figures.Add(new QueryFigures("all queries", 0, 0, 0, 0, 0, "no acknowledged trace to look up"));
            return figures;
        }
        var now = DateTime.UtcNow;
        var window = $"start={Rfc3339(now.AddHours(-1))}&end={Rfc3339(now)}";

        figures.Add(await TimeAsync("trace by id", async ct =>
        {
            var probe = PickProbe();
            using var response = await _http.GetAsync(new Uri(_api, $"/api/v1/traces/{probe.TraceId}"), ct).ConfigureAwait(false);
            await response.Content.LoadIntoBufferAsync(ct).ConfigureAwait(false);
            return response.StatusCode switch
            {
                HttpStatusCode.OK => Answer.Right,
                HttpStatusCode.NotFound => Answer.Miss,
                _ => Answer.Failed,
            };
        }, cancellationToken).ConfigureAwait(false));

        figures.Add(await TimeAsync("search service+name 1h", async ct =>
        {
            var name = RealisticTraceGenerator.RootSpanNames[_random.Next(RealisticTraceGenerator.RootSpanNames.Count)];
            var (status, json) = await GetJsonAsync($"/api/v1/search?service=api-gateway&name={Uri.EscapeDataString(name)}&{window}&limit=20", ct).ConfigureAwait(false);
            return status != HttpStatusCode.OK ? Answer.Failed : TraceIds(json).Count > 0 ? Answer.Right : Answer.Miss;
        }, cancellationToken).ConfigureAwait(false));

        var withUsers = _probes.Where(p => p.UserId is not null).ToList();
        figures.Add(withUsers.Count == 0
            ? new QueryFigures("search user.id 1h", 0, 0, 0, 0, 0, "no acknowledged trace has a user.id")
            : await TimeAsync("search user.id 1h", async ct =>
            {
                var probe = withUsers[_random.Next(withUsers.Count)];
                var (status, json) = await GetJsonAsync($"/api/v1/search?attr={Uri.EscapeDataString("user.id=" + probe.UserId)}&{window}&limit=100", ct).ConfigureAwait(false);
                return status != HttpStatusCode.OK ? Answer.Failed : TraceIds(json).Contains(probe.TraceId.ToString()) ? Answer.Right : Answer.Miss;
            }, cancellationToken).ConfigureAwait(false));

        foreach (var (name, query) in TraceQLSearches)
        {
            figures.Add(await TimeOptionalAsync(name, $"/api/v1/traceql?q={Uri.EscapeDataString(query)}&{window}&limit=20", cancellationToken).ConfigureAwait(false));
        }
        figures.Add(await TimeOptionalAsync("traceql rate() by service", $"/api/v1/traceql/metrics?q={Uri.EscapeDataString(TraceQLMetrics)}&{window}", cancellationToken).ConfigureAwait(false));
        return figures;
    }

    /// <summary>Polls trace by id until it answers 200 (a restarted server may be ready before its data is); returns when it did, or null after <paramref name="timeout"/>.</summary>
    public async Task<TimeSpan?> WaitForTraceAsync(TraceProbe probe, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            using var response = await _http.GetAsync(new Uri(_api, $"/api/v1/traces/{probe.TraceId}"), cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.OK) return clock.Elapsed;
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
        return null;
    }

    /// <summary>How many of (up to <paramref name="count"/>) probes a trace-by-id lookup does not find.</summary>
    public async Task<(int Checked, int Missing)> CountMissingAsync(int count, CancellationToken cancellationToken)
    {
        var missing = 0;
        var probes = _probes.Take(count).ToList();
        foreach (var probe in probes)
        {
            using var response = await _http.GetAsync(new Uri(_api, $"/api/v1/traces/{probe.TraceId}"), cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK) missing++;
        }
        return (probes.Count, missing);
    }

    private enum Answer { Right, Miss, Failed }

    private async Task<QueryFigures> TimeOptionalAsync(string name, string pathAndQuery, CancellationToken cancellationToken)
    {
        var (status, first) = await GetJsonAsync(pathAndQuery, cancellationToken).ConfigureAwait(false);
        first?.Dispose();
        if (status == HttpStatusCode.NotFound)
            return new QueryFigures(name, 0, 0, 0, 0, 0, $"skipped: {pathAndQuery.Split('?')[0]} answered 404 (this server has no such endpoint)");
        return await TimeAsync(name, async ct =>
        {
            var (answer, json) = await GetJsonAsync(pathAndQuery, ct).ConfigureAwait(false);
            json?.Dispose();
            return answer == HttpStatusCode.OK ? Answer.Right : Answer.Failed;
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<QueryFigures> TimeAsync(string name, Func<CancellationToken, Task<Answer>> query, CancellationToken cancellationToken)
    {
        var latencies = new List<double>(_queries);
        int misses = 0, failures = 0;
        var budget = Stopwatch.StartNew();
        string? note = null;
        for (var i = 0; i < _queries; i++)
        {
            if (budget.Elapsed > _budgetPerKind)
            {
                note = $"stopped after {i} queries: the {_budgetPerKind.TotalSeconds:0} s budget ran out";
                break;
            }
            var started = Stopwatch.GetTimestamp();
            Answer answer;
            try
            {
                answer = await query(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                answer = Answer.Failed;
            }
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (answer == Answer.Failed) failures++;
            else latencies.Add(elapsed);
            if (answer == Answer.Miss) misses++;
        }
        var sorted = latencies.Order().ToArray();
        return new QueryFigures(name, sorted.Length, LoadRunner.Percentile(sorted, 0.5), LoadRunner.Percentile(sorted, 0.99), misses, failures, note);
    }

    private async Task<(HttpStatusCode Status, JsonDocument? Json)> GetJsonAsync(string pathAndQuery, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri(_api, pathAndQuery), cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK) return (response.StatusCode, null);
        try
        {
            return (response.StatusCode, JsonDocument.Parse(body));
        }
        catch (JsonException)
        {
            return (HttpStatusCode.UnprocessableEntity, null);
        }
    }

    private static HashSet<string> TraceIds(JsonDocument? json)
    {
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (json is null) return ids;
        using (json)
        {
            if (json.RootElement.TryGetProperty("traces", out var traces) && traces.ValueKind == JsonValueKind.Array)
            {
                foreach (var trace in traces.EnumerateArray())
                {
                    if (trace.TryGetProperty("traceId", out var id) && id.GetString() is { } text) ids.Add(text);
                }
            }
        }
        return ids;
    }

    private TraceProbe PickProbe() => _probes[_random.Next(_probes.Count)];

    private static string Rfc3339(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public void Dispose() => _http.Dispose();
}
