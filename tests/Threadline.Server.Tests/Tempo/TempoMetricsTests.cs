using System.Net;
using Google.Protobuf;
using Threadline.Server.Tests.Infrastructure;
using Wire = Threadline.Server.Tests.Tempo.Wire;

namespace Threadline.Server.Tests.Tempo;

public sealed class TempoMetricsTests
{
    private const string RateByService = "%7B%20%7D%20%7C%20rate()%20by%20(resource.service.name)";

    [Fact]
    public async Task Query_range_answers_tempos_json_which_a_strict_parser_takes()
    {
        var engine = new ScriptedTraceQLEngine { MetricsResult = TempoResultsFixture.Metrics };
        await using var server = await TempoTestServer.StartAsync(engine);

        using var response = await HttpTestClient.GetAsync(server.TempoEndpoint, $"/api/metrics/query_range?q={RateByService}&start=1700000000&end=1700003600&step=60&exemplars=5");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(TempoTestServer.Golden("query_range.json"), body);
        // Grafana parses metrics answers strictly: any field tempopb does not have would fail here.
        var parsed = new JsonParser(JsonParser.Settings.Default).Parse<Wire.QueryRangeResponse>(body);
        Assert.Equal(1_700_000_060_000, parsed.Series[0].Samples[1].TimestampMs);
        var request = Assert.Single(engine.MetricsQueries);
        Assert.Equal(("{ } | rate() by (resource.service.name)", 1_700_000_000_000_000_000UL, 1_700_003_600_000_000_000UL, 60_000_000_000UL, 5),
            (request.Query, request.StartUnixNano, request.EndUnixNano, request.StepNanos, request.MaxExemplars));
    }

    [Theory]
    [InlineData("start=1700000000&end=1700003600&step=1m", 1_700_000_000_000_000_000UL, 60_000_000_000UL)]
    [InlineData("start=1700000000000000000&end=1700003600000000000&step=0.5", 1_700_000_000_000_000_000UL, 500_000_000UL)]
    [InlineData("start=2023-11-14T22:13:20Z&end=1700003600", 1_700_000_000_000_000_000UL, 0UL)]
    [InlineData("start=1700000000.25&end=1700003600", 1_700_000_000_250_000_000UL, 0UL)]
    public async Task Times_and_steps_are_read_in_every_unit_tempo_takes(string parameters, ulong start, ulong step)
    {
        var engine = new ScriptedTraceQLEngine();
        await using var server = await TempoTestServer.StartAsync(engine);

        using var response = await HttpTestClient.GetAsync(server.TempoEndpoint, $"/api/metrics/query_range?query={RateByService}&{parameters}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var request = Assert.Single(engine.MetricsQueries);
        Assert.Equal((start, 1_700_003_600_000_000_000UL, step), (request.StartUnixNano, request.EndUnixNano, request.StepNanos));
    }

    [Fact]
    public async Task Without_start_the_range_is_since_before_end()
    {
        var engine = new ScriptedTraceQLEngine();
        await using var server = await TempoTestServer.StartAsync(engine);

        using var response = await HttpTestClient.GetAsync(server.TempoEndpoint, $"/api/metrics/query_range?q={RateByService}&end=1700003600&since=30m");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var request = Assert.Single(engine.MetricsQueries);
        Assert.Equal(1_700_003_600_000_000_000UL - 1_800_000_000_000UL, request.StartUnixNano);
    }

    [Fact]
    public async Task Instant_query_answers_one_value_per_series()
    {
        var engine = new ScriptedTraceQLEngine { MetricsResult = TempoResultsFixture.Instant };
        await using var server = await TempoTestServer.StartAsync(engine);

        using var response = await HttpTestClient.GetAsync(server.TempoEndpoint, $"/api/metrics/query?q={RateByService}&start=1700000000&end=1700003600&step=60");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(TempoTestServer.Golden("query_instant.json"), await response.Content.ReadAsStringAsync());
        Assert.Equal(0UL, Assert.Single(engine.MetricsQueries).StepNanos);
    }

    [Theory]
    [InlineData("", "invalid request: give a TraceQL metrics query in q (or query)")]
    [InlineData("&q=%7B%7D%7Crate()&start=1700003600&end=1700000000", "invalid request: start (1700003600000000000) must be before end (1700000000000000000)")]
    [InlineData("&q=%7B%7D%7Crate()&step=fast", "cannot parse \"fast\" to a valid duration (give seconds, or a duration such as 30s or 1m)")]
    [InlineData("&q=%7B%7D%7Crate()&end=yesterday", "could not parse 'end' parameter: 'yesterday' is neither Unix seconds, Unix nanoseconds nor an RFC 3339 time")]
    [InlineData("&q=%7B%7D%7Crate()&exemplars=-1", "invalid exemplars: '-1' is not a whole number from 0 to 4294967295")]
    public async Task Bad_metrics_parameters_are_400_in_plain_text(string parameters, string reason)
    {
        var engine = new ScriptedTraceQLEngine();
        await using var server = await TempoTestServer.StartAsync(engine);

        using var response = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/metrics/query_range?x=1" + parameters);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(reason, (await response.Content.ReadAsStringAsync()).TrimEnd('\n'));
        Assert.Empty(engine.MetricsQueries);
    }
}
