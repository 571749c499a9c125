using Grpc.Core;
using Grpc.Net.Client;
using Threadline.Query.TraceQL;
using Threadline.Server.Tests.Infrastructure;
using Wire = Threadline.Server.Tests.Tempo.Wire;

namespace Threadline.Server.Tests.Tempo;

/// <summary>The StreamingQuerier through a generated gRPC client, on the same port as the HTTP API, cleartext as Grafana dials it.</summary>
public sealed class TempoStreamingQuerierTests
{
    [Fact]
    public async Task Search_streams_the_answer_and_shares_the_port_with_http()
    {
        var engine = new ScriptedTraceQLEngine { SearchResult = TempoResultsFixture.Search };
        await using var server = await TempoTestServer.StartAsync(engine);
        using var channel = GrpcChannel.ForAddress(server.TempoEndpoint);
        var client = new Wire.StreamingQuerier.StreamingQuerierClient(channel);

        using var call = client.Search(new Wire.SearchRequest { Query = "{ status = error }", Limit = 7, SpansPerSpanSet = 2, Start = 1_700_000_000, End = 1_700_003_600 },
            cancellationToken: TestContext.Timeout);
        var messages = await call.ResponseStream.ReadAllAsync(TestContext.Timeout).ToListAsync(TestContext.Timeout);

        var last = messages[^1];
        Assert.Equal(["2f3e0cee77ae5dc9", "abc"], last.Traces.Select(trace => trace.TraceID));
        Assert.Equal(4u, last.Traces[0].SpanSets.Single().Matched);
        var request = Assert.Single(engine.Searches);
        Assert.Equal(("{ status = error }", 7, 2, 1_700_000_000_000_000_000UL), (request.Query, request.Limit, request.SpansPerSpanset, request.StartUnixNano));
        using var echo = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/echo");
        Assert.Equal("echo\n", await echo.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Tags_and_tag_values_stream_from_the_store()
    {
        await using var server = await TempoTestServer.StartAsync();
        using var channel = GrpcChannel.ForAddress(server.TempoEndpoint);
        var client = new Wire.StreamingQuerier.StreamingQuerierClient(channel);

        using var tags = client.SearchTagsV2(new Wire.SearchTagsRequest { Scope = "intrinsic" }, cancellationToken: TestContext.Timeout);
        var scopes = (await tags.ResponseStream.ReadAllAsync(TestContext.Timeout).ToListAsync(TestContext.Timeout))[^1].Scopes;
        using var values = client.SearchTagValuesV2(new Wire.SearchTagValuesRequest { TagName = "kind" }, cancellationToken: TestContext.Timeout);
        var kinds = (await values.ResponseStream.ReadAllAsync(TestContext.Timeout).ToListAsync(TestContext.Timeout))[^1].TagValues;

        Assert.Equal("intrinsic", scopes.Single().Name);
        Assert.Contains("trace:duration", scopes.Single().Tags);
        Assert.Contains(kinds, value => value is { Type: "keyword", Value: "server" });
    }

    [Fact]
    public async Task Metrics_query_range_streams_series()
    {
        var engine = new ScriptedTraceQLEngine { MetricsResult = TempoResultsFixture.Metrics };
        await using var server = await TempoTestServer.StartAsync(engine);
        using var channel = GrpcChannel.ForAddress(server.TempoEndpoint);
        var client = new Wire.StreamingQuerier.StreamingQuerierClient(channel);

        using var call = client.MetricsQueryRange(new Wire.QueryRangeRequest
        {
            Query = "{ } | rate() by (resource.service.name)", Start = 1_700_000_000_000_000_000, End = 1_700_003_600_000_000_000, Step = 60_000_000_000, Exemplars = 3,
        }, cancellationToken: TestContext.Timeout);
        var series = (await call.ResponseStream.ReadAllAsync(TestContext.Timeout).ToListAsync(TestContext.Timeout))[^1].Series.Single();

        Assert.Equal("{resource.service.name=\"api\"}", series.PromLabels);
        Assert.Equal([0.5, 0], series.Samples.Select(sample => sample.Value));
        Assert.Equal(1_700_000_001_000, series.Exemplars.Single().TimestampMs);
        Assert.Equal((60_000_000_000UL, 3), (engine.MetricsQueries.Single().StepNanos, engine.MetricsQueries.Single().MaxExemplars));
    }

    [Fact]
    public async Task A_query_that_does_not_parse_is_invalid_argument_with_its_position()
    {
        var engine = new ScriptedTraceQLEngine { Failure = new TraceQLSyntaxException("{ .a = }", 1, 8, "a value", "\"}\"") };
        await using var server = await TempoTestServer.StartAsync(engine);
        using var channel = GrpcChannel.ForAddress(server.TempoEndpoint);
        var client = new Wire.StreamingQuerier.StreamingQuerierClient(channel);

        using var call = client.Search(new Wire.SearchRequest { Query = "{ .a = }" }, cancellationToken: TestContext.Timeout);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.ReadAllAsync(TestContext.Timeout).ToListAsync(TestContext.Timeout).AsTask());

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("invalid TraceQL query: line 1, column 8: expected a value, found \"}\"", error.Status.Detail);
    }

    [Fact]
    public async Task A_malformed_request_is_invalid_argument()
    {
        await using var server = await TempoTestServer.StartAsync(new ScriptedTraceQLEngine());

        // Field 8 (Query) declared 50 bytes long with none following.
        var call = await GrpcTestClient.CallAsync(server.TempoEndpoint, GrpcTestClient.Frame([0x42, 50]), path: "/tempopb.StreamingQuerier/Search");

        Assert.Equal((int)StatusCode.InvalidArgument, call.Status);
        Assert.StartsWith("The message is not a valid Search request", call.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_method_on_the_tempo_port_is_unimplemented_with_the_port_guide()
    {
        await using var server = await TempoTestServer.StartAsync();

        var call = await GrpcTestClient.CallAsync(server.TempoEndpoint, GrpcTestClient.Frame([]), path: "/tempopb.Querier/FindTraceByID");

        Assert.Equal((int)StatusCode.Unimplemented, call.Status);
        Assert.Contains("gRPC tempopb.StreamingQuerier", call.Message, StringComparison.Ordinal);
    }
}
