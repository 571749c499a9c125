using System.Collections.Concurrent;
using Threadline.Server.Tests.Infrastructure;
using Threadline.Tests.Shared;

namespace Threadline.Server.Tests.Tempo;

/// <summary>
/// Every Tempo route and the native TraceQL routes against hostile parameter values through a
/// real server with the real engine: each extreme value for each parameter and path segment,
/// then seeded random requests. No answer may be a 5xx.
/// </summary>
public sealed class TempoHostileParameterTests
{
    private const int Seed = 3_200;
    private const int RandomRequests = 600;

    private static readonly (bool Tempo, string Template, string[] Parameters)[] Routes =
    [
        (true, "/api/traces/{id}", ["start", "end"]),
        (true, "/api/v2/traces/{id}", ["start", "end"]),
        (true, "/api/search", ["q", "tags", "minDuration", "maxDuration", "limit", "spss", "start", "end"]),
        (true, "/api/search/tags", ["scope", "start", "end", "q"]),
        (true, "/api/v2/search/tags", ["scope", "start", "end", "q"]),
        (true, "/api/search/tag/{tag}/values", ["start", "end", "q", "limit"]),
        (true, "/api/v2/search/tag/{tag}/values", ["start", "end", "q", "limit"]),
        (true, "/api/metrics/query_range", ["q", "start", "end", "step", "exemplars"]),
        (true, "/api/metrics/query", ["q", "start", "end", "exemplars"]),
        (false, "/api/v1/traceql", ["q", "start", "end", "limit", "spss"]),
        (false, "/api/v1/traceql/metrics", ["q", "start", "end", "step"]),
    ];

    [Fact]
    public async Task No_value_on_any_Tempo_or_TraceQL_route_gets_a_5xx()
    {
        await using var server = await TempoTestServer.StartAsync();

        var requests = new List<(bool Tempo, string PathAndQuery)>();
        foreach (var (tempo, template, parameters) in Routes)
        {
            foreach (var value in HostileValues.Extremes)
            {
                if (template.Contains('{', StringComparison.Ordinal) && !string.IsNullOrEmpty(value) && !value.Contains('/', StringComparison.Ordinal))
                    requests.Add((tempo, Fill(template, value) + "?q=%7B%20%7D"));
                foreach (var parameter in parameters)
                    requests.Add((tempo, Fill(template, "4bf92f3577b34da6a3ce929d0e0e4736") + "?" + parameter + "=" + Uri.EscapeDataString(value)));
            }
        }
        var random = new Random(Seed);
        for (var i = 0; i < RandomRequests; i++)
        {
            var (tempo, template, parameters) = Routes[random.Next(Routes.Length)];
            var query = string.Join("&", Enumerable.Range(0, random.Next(0, 5))
                .Select(_ => Uri.EscapeDataString(HostileValues.NextName(random, parameters)) + "=" + Uri.EscapeDataString(HostileValues.Next(random, 100))));
            requests.Add((tempo, Fill(template, "4bf92f3577b34da6a3ce929d0e0e4736") + "?" + query));
        }

        var failures = new ConcurrentQueue<string>();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (request, _) =>
        {
            using var response = await HttpTestClient.GetAsync(request.Tempo ? server.TempoEndpoint : server.ApiEndpoint, request.PathAndQuery);
            if ((int)response.StatusCode >= 500)
                failures.Enqueue($"GET {request.PathAndQuery} → {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(TestContext.Timeout)}");
        });

        Assert.True(failures.IsEmpty, $"{failures.Count} of {requests.Count} requests got a 5xx:\n" + string.Join("\n", failures.Take(10)));
    }

    private static string Fill(string template, string value)
    {
        var open = template.IndexOf('{', StringComparison.Ordinal);
        if (open < 0) return template;
        var close = template.IndexOf('}', open);
        return template[..open] + Uri.EscapeDataString(value) + template[(close + 1)..];
    }
}
