using System.Net;
using System.Text.Json;
using Threadline.Core.Model;
using Threadline.Protocol.Otlp;
using Threadline.Server.Hosting;
using Threadline.Server.Tests.Infrastructure;

namespace Threadline.Server.Tests.Api;

public sealed class SearchApiTests
{
    private const ulong Start = 1_700_000_000_000_000_000;

    [Fact]
    public async Task Search_returns_summaries_newest_first_in_the_documented_shape()
    {
        await using var server = await TestServer.StartAsync();
        var older = TestSpans.Trace(service: "checkout", startUnixNano: Start);
        var newer = TestSpans.Trace(service: "checkout", startUnixNano: Start + 1_000_000_000);
        await PostAsync(server, [.. older, .. newer]);

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/v1/search?service=checkout");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var traces = (await HttpTestClient.JsonAsync(response)).GetProperty("traces");
        Assert.Equal(2, traces.GetArrayLength());
        var first = traces[0];
        Assert.Equal(newer[0].TraceId.ToString(), first.GetProperty("traceId").GetString());
        Assert.Equal("checkout", first.GetProperty("rootServiceName").GetString());
        Assert.Equal("GET /cart", first.GetProperty("rootSpanName").GetString());
        Assert.Equal(JsonValueKind.String, first.GetProperty("startTimeUnixNano").ValueKind);
        Assert.Equal((Start + 1_000_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture), first.GetProperty("startTimeUnixNano").GetString());
        Assert.Equal(150_000_000UL, first.GetProperty("durationNanos").GetUInt64());
        Assert.Equal(2, first.GetProperty("spanCount").GetInt32());
        Assert.Equal(1, first.GetProperty("errorCount").GetInt32());
        var service = Assert.Single(first.GetProperty("services").EnumerateArray());
        Assert.Equal("checkout", service.GetProperty("name").GetString());
        Assert.Equal(2, service.GetProperty("spanCount").GetInt32());
        Assert.Equal(older[0].TraceId.ToString(), traces[1].GetProperty("traceId").GetString());
    }

    [Theory]
    [InlineData("service=checkout&name=SELECT%20carts&kind=client&status=error", true)]
    [InlineData("service=checkout&kind=server&status=error", false)]
    [InlineData("minDuration=100ms", true)]
    [InlineData("minDuration=1s", false)]
    [InlineData("maxDuration=20ms", false)]
    [InlineData("attr=db.system=postgresql", true)]
    [InlineData("attr=db.system=mysql", false)]
    [InlineData("tags=%7B%22db.system%22%3A%22postgresql%22%7D", true)]
    [InlineData("start=2023-11-14T22:13:20Z&end=2023-11-14T22:13:21Z", true)]
    [InlineData("start=1700000001000000000", false)]
    public async Task Filters_select_matching_traces(string query, bool matches)
    {
        await using var server = await TestServer.StartAsync();
        await PostAsync(server, TestSpans.Trace(service: "checkout", startUnixNano: Start));

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/v1/search?" + query);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(matches ? 1 : 0, (await HttpTestClient.JsonAsync(response)).GetProperty("traces").GetArrayLength());
    }

    [Fact]
    public async Task Limit_caps_the_number_of_traces()
    {
        await using var server = await TestServer.StartAsync();
        await PostAsync(server, [.. TestSpans.Trace(), .. TestSpans.Trace(), .. TestSpans.Trace()]);

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/v1/search?limit=2");

        Assert.Equal(2, (await HttpTestClient.JsonAsync(response)).GetProperty("traces").GetArrayLength());
    }

    [Theory]
    [InlineData("kind=sideways", "kind")]
    [InlineData("status=fine", "status")]
    [InlineData("minDuration=150", "minDuration")]
    [InlineData("minDuration=1.5parsecs", "minDuration")]
    [InlineData("maxDuration=-1s", "maxDuration")]
    [InlineData("minDuration=2s&maxDuration=1s", "minDuration")]
    [InlineData("start=yesterday", "start")]
    [InlineData("end=2024-13-01T00:00:00Z", "end")]
    [InlineData("start=2024-01-02T00:00:00Z&end=2024-01-01T00:00:00Z", "start")]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=10001", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("attr=novalue", "attr")]
    [InlineData("attr==value", "attr")]
    [InlineData("tags=not-json", "tags")]
    [InlineData("tags=%5B%5D", "tags")]
    [InlineData("service=a&service=b", "service")]
    [InlineData("servce=checkout", "servce")]
    [InlineData("Limit=5", "Limit")]
    [InlineData("minDuration=99999999999999999999h", "minDuration")]
    [InlineData("maxDuration=9223372036854775808ns", "maxDuration")]
    [InlineData("start=18446744073709551616", "start")]
    [InlineData("end=9999-12-31T23:59:59Z", "end")]
    [InlineData("start=1969-12-31T23:59:59Z", "start")]
    [InlineData("tags=%7B%22a%22%3A%22%5Cud800%22%7D", "tags")]
    public async Task Bad_parameter_is_400_naming_it(string query, string parameter)
    {
        await using var server = await TestServer.StartAsync();

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/v1/search?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await HttpTestClient.JsonAsync(response);
        Assert.Equal(parameter, error.GetProperty("parameter").GetString());
        Assert.Contains($"'{parameter}'", error.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Catalogs_list_services_operations_tags_and_values()
    {
        await using var server = await TestServer.StartAsync();
        await PostAsync(server, TestSpans.Trace(service: "checkout"));

        using (var services = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/v1/services"))
            Assert.Equal(["checkout"], (await HttpTestClient.JsonAsync(services)).GetProperty("services").EnumerateArray().Select(e => e.GetString()));

        using (var operations = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/v1/services/checkout/operations"))
        {
            var list = (await HttpTestClient.JsonAsync(operations)).GetProperty("operations").EnumerateArray()
                .Select(e => (e.GetProperty("name").GetString(), e.GetProperty("kind").GetString())).ToList();
            Assert.Equal([("GET /cart", "server"), ("SELECT carts", "client")], list);
        }

        using (var tags = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/v1/tags"))
            Assert.Contains("db.system", (await HttpTestClient.JsonAsync(tags)).GetProperty("tags").EnumerateArray().Select(e => e.GetString()));

        using (var values = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/v1/tags/db.system/values?limit=5"))
            Assert.Equal(["postgresql"], (await HttpTestClient.JsonAsync(values)).GetProperty("values").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Tag_values_with_a_bad_limit_is_400()
    {
        await using var server = await TestServer.StartAsync();

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/v1/tags/db.system/values?limit=-3");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("limit", (await HttpTestClient.JsonAsync(response)).GetProperty("parameter").GetString());
    }

    [Fact]
    public async Task Tag_values_read_limit_by_its_exact_name_only()
    {
        await using var server = await TestServer.StartAsync();

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/v1/tags/db.system/values?LIMIT=-3");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Status_counts_what_was_received_stored_and_refused()
    {
        await using var server = await TestServer.StartAsync();
        await PostAsync(server, TestSpans.Trace());
        using (await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", [0xFF], "application/x-protobuf")) { }

        using var response = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/v1/status");

        var status = await HttpTestClient.JsonAsync(response);
        Assert.Equal(2, status.GetProperty("ingest").GetProperty("storedSpans").GetInt64());
        Assert.Equal(1, status.GetProperty("receivers").GetProperty("malformedRequests").GetInt64());
        Assert.Equal("memory", status.GetProperty("storage").GetProperty("engine").GetString());
        Assert.Equal(2, status.GetProperty("storage").GetProperty("spans").GetInt64());
    }

    private static async Task PostAsync(ThreadlineServer server, Span[] spans)
    {
        using var response = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", OtlpProtobufEncoder.EncodeExportRequest(spans), "application/x-protobuf");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
