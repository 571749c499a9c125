using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Threadline.Protocol.Otlp;
using Threadline.Server.Tests.Infrastructure;
using Threadline.Tests.Shared;

namespace Threadline.Server.Tests.Api;

/// <summary>
/// The API port against hostile parameters, through a real server: every extreme value for every
/// parameter of every route (path segments included), then random requests, seeded. No answer may
/// be a 5xx, and every 400 names a parameter that was given. The parsers' own property tests
/// (Threadline.Query.Tests) cover many more values; this proves the HTTP binding adds no hole.
/// </summary>
public sealed class HostileQueryParameterTests
{
    private const int Seed = 16_686;
    private const int RandomRequests = 1_500;

    private static readonly string[] SearchParameters = ["service", "name", "kind", "status", "minDuration", "maxDuration", "start", "end", "limit", "attr", "tags"];

    /// <summary>The routes on the API port: a path template ({x} is a path parameter) and the query parameters it reads.</summary>
    private static readonly (string Template, string[] Parameters)[] Routes =
    [
        ("/api/v1/search", SearchParameters),
        ("/api/v1/traces/{traceId}", []),
        ("/api/v1/traces/{traceId}/critical-path", []),
        ("/api/v1/traces/{traceId}/health", []),
        ("/api/v1/traces/0af7651916cd43dd8448eb211c80319c/compare/{otherTraceId}", []),
        ("/api/v1/traces/0af7651916cd43dd8448eb211c80319c/compare/typical", ["start", "end"]),
        ("/api/v1/services", []),
        ("/api/v1/services/{service}/operations", []),
        ("/api/v1/tags", []),
        ("/api/v1/tags/{key}/values", ["limit"]),
        ("/api/v1/status", []),
        ("/api/v1/service-graph", ["start", "end"]),
        ("/api/v1/services/{service}/red", ["start", "end", "step"]),
        ("/api/v1/services/{service}/operations/red", ["start", "end", "step", "limit"]),
        ("/api/v1/naming-health", ["service"]),
        ("/api/v1/genai", ["start", "end"]),
        ("/api/v1/traces/{traceId}/outline", []),
        ("/api/v1/traces/0af7651916cd43dd8448eb211c80319c/outline", ["offset", "limit"]),
        ("/api/v1/traces/0af7651916cd43dd8448eb211c80319c/spans/{spanId}", []),
        ("/healthz", []),
        ("/readyz", []),
    ];

    // Sent as they are rather than escaped, as a client that does not encode (or encodes twice) sends them.
    private static readonly string[] RawJunk = ["%", "%zz", "%00", "%ff%fe", "%2F", "%252F", "%E2%82", "%ED%A0%80", "%C0%AF", "a%00b", "..", "%20", "+", "%2B"];

    [Fact]
    public async Task No_parameter_value_on_any_route_gets_a_5xx_and_every_400_names_a_parameter_given()
    {
        await using var server = await TestServer.StartAsync();
        using (var post = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", OtlpProtobufEncoder.EncodeExportRequest(TestSpans.Trace()), "application/x-protobuf"))
            Assert.Equal(HttpStatusCode.OK, post.StatusCode);

        var requests = new List<Request>();
        foreach (var (template, parameters) in Routes)
        {
            foreach (var value in HostileValues.Extremes.Concat(RawJunk))
            {
                var raw = Array.IndexOf(RawJunk, value) >= 0;
                foreach (var pathParameter in PathParameters(template))
                    requests.Add(Build(template, new() { [pathParameter] = (value, raw) }, []));
                foreach (var parameter in parameters)
                    requests.Add(Build(template, [], [(parameter, value, raw)]));
            }
        }
        var random = new Random(Seed);
        for (var i = 0; i < RandomRequests; i++) requests.Add(RandomRequest(random));

        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (request, _) =>
        {
            using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, request.PathAndQuery);
            var status = (int)response.StatusCode;
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            var body = await response.Content.ReadAsStringAsync(TestContext.Timeout);
            var problem = Check(request, status, response.Content.Headers.ContentType?.MediaType, body);
            if (problem is not null) failures.Enqueue($"GET {request.PathAndQuery} → {status}: {problem}; body: {Cut(body)}");
        });

        Assert.True(failures.IsEmpty, $"{failures.Count} of {requests.Count} requests failed:\n{string.Join("\n", failures.Take(20))}");
        Assert.True(requests.Count > 3_000, $"{requests.Count} requests");
        Assert.True(statuses.GetValueOrDefault(400) > 1_000, "most hostile values are refused as 400s");
        Assert.True(statuses.GetValueOrDefault(200) > 500, "the valid ones are answered");
    }

    [Fact]
    public async Task A_hostile_accept_header_on_a_stored_trace_gets_json_or_protobuf()
    {
        await using var server = await TestServer.StartAsync();
        var spans = TestSpans.Trace();
        using (var post = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", OtlpProtobufEncoder.EncodeExportRequest(spans), "application/x-protobuf"))
            Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        var random = new Random(Seed);
        // A header carries visible ASCII only; anything else HttpClient refuses to send.
        var accepts = HostileValues.Extremes.Concat(Enumerable.Range(0, 300).Select(_ => HostileValues.Next(random, 200)))
            .Concat(["application/x-protobuf;q=NaN", "application/x-protobuf;q=99999999999999999999", "*/*;q=-1", "application/*, text/*;q=0.", ",,,", "a/b/c"])
            .Select(a => new string([.. a.Where(c => c is >= ' ' and <= '~')]));

        foreach (var accept in accepts)
        {
            using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, $"/api/v1/traces/{spans[0].TraceId}", accept);

            Assert.True(response.StatusCode == HttpStatusCode.OK, $"Accept: {accept} → {(int)response.StatusCode}");
            Assert.Contains(response.Content.Headers.ContentType?.MediaType, new[] { "application/json", "application/x-protobuf" });
        }
    }

    private static string? Check(Request request, int status, string? mediaType, string body)
    {
        if (status >= 500 && !(request.PathAndQuery.StartsWith("/readyz", StringComparison.Ordinal) && status == 503))
            return "a server error";
        if (status == 200 && request.PathAndQuery.StartsWith("/api/", StringComparison.Ordinal))
            return mediaType == "application/json" && IsJson(body) ? null : "a 200 that is not JSON";
        if (status != 400) return null;

        // Kestrel itself refuses a path holding an encoded NUL, before any route runs.
        if (body.Length == 0 && request.PathAndQuery.Split('?')[0].Contains("%00", StringComparison.Ordinal)) return null;
        if (mediaType != "application/json" || !IsJson(body)) return "a 400 without the JSON error";
        using var error = JsonDocument.Parse(body);
        if (!error.RootElement.TryGetProperty("parameter", out var named)) return "a 400 naming no parameter";
        var parameter = named.GetString()!;
        if (!request.Names.Contains(parameter)) return $"a 400 naming '{parameter}', which was not given";
        var message = error.RootElement.GetProperty("error").GetString()!;
        return message.Contains($"'{parameter}'", StringComparison.Ordinal) ? null : "a message that does not name the parameter";
    }

    private static Request RandomRequest(Random random)
    {
        var (template, parameters) = Routes[random.Next(Routes.Length)];
        var path = PathParameters(template).ToDictionary(p => p, _ => RandomValue(random));
        // Routes without parameters of their own still get some: they must ignore them, not fail.
        var known = parameters.Length > 0 ? parameters : SearchParameters;
        var query = Enumerable.Range(0, random.Next(0, 5))
            .Select(_ =>
            {
                var (value, raw) = RandomValue(random);
                return (HostileValues.NextName(random, known), value, raw);
            })
            .ToList();
        return Build(template, path, query);
    }

    private static (string Value, bool Raw) RandomValue(Random random) =>
        random.Next(8) == 0 ? (RawJunk[random.Next(RawJunk.Length)], true) : (HostileValues.Next(random, 200), false);

    private static IEnumerable<string> PathParameters(string template) =>
        template.Split('/').Where(s => s.StartsWith('{')).Select(s => s[1..^1]);

    private static Request Build(string template, Dictionary<string, (string Value, bool Raw)> path, List<(string Name, string Value, bool Raw)> query)
    {
        var names = new HashSet<string>(path.Keys, StringComparer.Ordinal);
        var pathText = template;
        foreach (var (name, (value, raw)) in path)
            pathText = pathText.Replace("{" + name + "}", raw ? value : Escape(value), StringComparison.Ordinal);
        var queryText = new StringBuilder();
        foreach (var (name, value, raw) in query)
        {
            // Names are always escaped, so the name the server reads is known: the one a 400 may name.
            var wellFormed = WellFormed(name);
            names.Add(wellFormed);
            queryText.Append(queryText.Length == 0 ? '?' : '&').Append(Escape(wellFormed)).Append('=').Append(raw ? value : Escape(value));
        }
        return new Request(pathText + queryText, names);
    }

    // A URL carries UTF-8, where a lone surrogate cannot exist; the encoder turns it into U+FFFD.
    private static string WellFormed(string text) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));

    private static string Escape(string text) => Uri.EscapeDataString(WellFormed(text));

    private static bool IsJson(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Cut(string text) => text.Length > 300 ? text[..300] + "…" : text;

    private sealed record Request(string PathAndQuery, HashSet<string> Names);
}
