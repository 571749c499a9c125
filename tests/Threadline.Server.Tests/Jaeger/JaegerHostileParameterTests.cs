using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Threadline.Server.Tests.Infrastructure;
using Threadline.Tests.Shared;

namespace Threadline.Server.Tests.Jaeger;

/// <summary>
/// The Jaeger routes against hostile parameters through a real server: every extreme value for
/// every parameter and path segment of every route, then random requests, seeded. No answer may
/// be a 5xx, every answer is JSON, and every 400 is in that API's error shape with a message
/// naming a parameter that was given (or a required one that was not).
/// </summary>
public sealed class JaegerHostileParameterTests
{
    private const int Seed = 14_250;
    private const int RandomRequests = 1_000;

    private static readonly string[] V3Search =
    [
        "query.serviceName", "query.service_name", "query.operationName", "query.operation_name", "query.attributes",
        "query.startTimeMin", "query.start_time_min", "query.startTimeMax", "query.start_time_max", "query.durationMin",
        "query.duration_max", "query.searchDepth", "query.num_traces", "query.rawTraces", "query.filter",
    ];

    private static readonly (string Template, string[] Parameters, string[] Required)[] Routes =
    [
        ("/api/services", [], []),
        ("/api/services/{service}/operations", [], []),
        ("/api/operations", ["service", "spanKind"], ["service"]),
        ("/api/traces", ["service", "operation", "tags", "tag", "minDuration", "maxDuration", "start", "end", "lookback", "limit", "traceID"], []),
        ("/api/traces/{traceID}", ["start", "end"], []),
        ("/api/dependencies", ["endTs", "lookback", "service"], []),
        ("/api/v3/services", [], []),
        ("/api/v3/operations", ["service", "spanKind", "span_kind"], ["service"]),
        ("/api/v3/traces", V3Search, ["query.startTimeMin", "query.startTimeMax"]),
        ("/api/v3/trace-summaries", V3Search, ["query.startTimeMin", "query.startTimeMax"]),
        ("/api/v3/traces/{traceId}", ["startTime", "start_time", "endTime", "end_time", "rawTraces", "raw_traces"], []),
    ];

    [Fact]
    public async Task No_value_on_any_Jaeger_route_gets_a_5xx_and_every_400_names_a_parameter_in_Jaegers_shape()
    {
        await using var server = await TestServer.StartAsync();
        await JaegerTestData.PostAsync(server, JaegerTestData.CallTrace());

        var requests = new List<(string PathAndQuery, HashSet<string> Names, string[] Required)>();
        foreach (var (template, parameters, required) in Routes)
        {
            foreach (var value in HostileValues.Extremes)
            {
                foreach (var pathParameter in PathParameters(template).Where(_ => ReachesRoute(value)))
                    requests.Add(Build(template, (pathParameter, value), [], required));
                foreach (var parameter in parameters)
                    requests.Add(Build(template, null, [(parameter, value)], required));
            }
        }
        var random = new Random(Seed);
        for (var i = 0; i < RandomRequests; i++)
        {
            var (template, parameters, required) = Routes[random.Next(Routes.Length)];
            var path = PathParameters(template).Select(p => (p, HostileValues.Next(random, 100))).Where(p => ReachesRoute(p.Item2)).Cast<(string, string)?>().FirstOrDefault();
            var known = parameters.Length > 0 ? parameters : ["service", "limit"];
            var query = Enumerable.Range(0, random.Next(0, 5)).Select(_ => (HostileValues.NextName(random, known), HostileValues.Next(random, 100))).ToList();
            requests.Add(Build(template, path, query, required));
        }

        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (request, _) =>
        {
            using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, request.PathAndQuery);
            var status = (int)response.StatusCode;
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            var body = await response.Content.ReadAsStringAsync(TestContext.Timeout);
            var problem = Check(request.PathAndQuery, request.Names, request.Required, status, body);
            if (problem is not null) failures.Enqueue($"GET {request.PathAndQuery} → {status}: {problem}; body: {(body.Length > 300 ? body[..300] : body)}");
        });

        Assert.True(failures.IsEmpty, $"{failures.Count} of {requests.Count} requests failed:\n{string.Join("\n", failures.Take(20))}");
        Assert.True(statuses.GetValueOrDefault(400) > 500, "most hostile values are refused as 400s");
        Assert.True(statuses.GetValueOrDefault(200) > 300, "the valid ones are answered");
    }

    private static string? Check(string pathAndQuery, HashSet<string> names, string[] required, int status, string body)
    {
        if (status >= 500) return "a server error";
        // Kestrel itself refuses a path holding an encoded NUL, before any route runs.
        if (status == 400 && body.Length == 0 && pathAndQuery.Split('?')[0].Contains("%00", StringComparison.Ordinal)) return null;
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return "an answer that is not JSON";
        }
        if (status != 400) return null;

        var v3 = pathAndQuery.StartsWith("/api/v3/", StringComparison.Ordinal);
        string message;
        if (v3)
        {
            if (!root.TryGetProperty("error", out var error) || error.GetProperty("httpCode").GetInt32() != 400) return "a 400 without the gateway's error object";
            message = error.GetProperty("message").GetString()!;
        }
        else
        {
            if (root.GetProperty("data").ValueKind != JsonValueKind.Null) return "a 400 with data";
            var error = root.GetProperty("errors")[0];
            if (error.GetProperty("code").GetInt32() != 400) return "a 400 whose error code is not 400";
            message = error.GetProperty("msg").GetString()!;
        }
        if (!message.StartsWith("Parameter '", StringComparison.Ordinal)) return "a message naming no parameter";
        var named = message["Parameter '".Length..message.IndexOf('\'', "Parameter '".Length)];
        return names.Contains(named) || (required.Contains(named) && !names.Contains(named)) ? null : $"a 400 naming '{named}', neither given nor required";
    }

    // An empty or dot segment is removed from the path before routing, so it tests another route.
    private static bool ReachesRoute(string pathValue) => WellFormed(pathValue) is not ("" or "." or "..");

    private static IEnumerable<string> PathParameters(string template) =>
        template.Split('/').Where(s => s.StartsWith('{')).Select(s => s[1..^1]);

    private static (string PathAndQuery, HashSet<string> Names, string[] Required) Build(string template, (string Name, string Value)? path, List<(string Name, string Value)> query, string[] required)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var pathText = template;
        foreach (var name in PathParameters(template))
        {
            // A path segment not under test gets a plain value, so the route is reached.
            var value = path is { } p && p.Name == name ? p.Value : "abc123";
            pathText = pathText.Replace("{" + name + "}", Escape(value), StringComparison.Ordinal);
            names.Add(name == "traceId" ? "trace_id" : name);
        }
        var queryText = new StringBuilder();
        foreach (var (name, value) in query)
        {
            var wellFormed = WellFormed(name);
            names.Add(wellFormed);
            queryText.Append(queryText.Length == 0 ? '?' : '&').Append(Escape(wellFormed)).Append('=').Append(Escape(value));
        }
        return (pathText + queryText, names, required);
    }

    // A URL carries UTF-8, where a lone surrogate cannot exist; the encoder turns it into U+FFFD.
    private static string WellFormed(string text) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));

    private static string Escape(string text) => Uri.EscapeDataString(WellFormed(text));
}
