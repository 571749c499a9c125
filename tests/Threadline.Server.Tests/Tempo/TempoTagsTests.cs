using System.Net;
using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Threadline.Core.Model;
using Threadline.Server.Hosting;
using Threadline.Server.Tests.Infrastructure;
using Threadline.Storage;
using Wire = Threadline.Server.Tests.Tempo.Wire;

namespace Threadline.Server.Tests.Tempo;

public sealed class TempoTagsTests
{
    [Fact]
    public async Task V1_tags_list_span_and_resource_names_flattened()
    {
        await using var server = await StartWithSpansAsync();

        using var response = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/search/tags");

        Assert.Equal(TempoTestServer.Golden("tags_v1.json"), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task V2_tags_list_names_per_scope_then_the_intrinsics()
    {
        await using var server = await StartWithSpansAsync();

        using var response = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/v2/search/tags");

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(TempoTestServer.Golden("tags_v2.json"), body);
        new JsonParser(JsonParser.Settings.Default).Parse<Wire.SearchTagsV2Response>(body);
    }

    [Fact]
    public async Task V2_tags_of_one_scope()
    {
        await using var server = await StartWithSpansAsync();

        using var span = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/v2/search/tags?scope=span", accept: "application/protobuf");
        using var intrinsic = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/v2/search/tags?scope=intrinsic");
        using var bad = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/v2/search/tags?scope=spam");

        var spanScope = Wire.SearchTagsV2Response.Parser.ParseFrom(await span.Content.ReadAsByteArrayAsync()).Scopes.Single();
        Assert.Equal("span", spanScope.Name);
        Assert.Equal(["db.system.name", "http.response.status_code", "http.route"], spanScope.Tags);
        Assert.Contains("\"trace:rootService\"", await intrinsic.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.StartsWith("invalid scope: spam", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task V1_tag_values_are_text()
    {
        await using var server = await StartWithSpansAsync();

        using var response = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/search/tag/service.name/values");

        Assert.Equal("""{"tagValues":["cart","checkout"],"metrics":{}}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task V2_tag_values_are_typed_for_attributes_and_keywords_for_status_and_kind()
    {
        await using var server = await StartWithSpansAsync();

        using var codes = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/v2/search/tag/span.http.response.status_code/values");
        using var services = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/v2/search/tag/resource.service.name/values");
        using var status = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/v2/search/tag/status/values");
        using var names = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/v2/search/tag/name/values");
        using var quoted = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/v2/search/tag/" + Uri.EscapeDataString("span.\"http.route\"") + "/values");
        using var bad = await HttpTestClient.GetAsync(server.TempoEndpoint, "/api/v2/search/tag/http.route/values");

        Assert.Equal("""{"tagValues":[{"type":"int","value":"200"},{"type":"int","value":"503"}],"metrics":{}}""", await codes.Content.ReadAsStringAsync());
        Assert.Equal("""{"tagValues":[{"type":"string","value":"cart"},{"type":"string","value":"checkout"}],"metrics":{}}""", await services.Content.ReadAsStringAsync());
        Assert.Equal("""{"tagValues":[{"type":"keyword","value":"error"},{"type":"keyword","value":"ok"},{"type":"keyword","value":"unset"}],"metrics":{}}""", await status.Content.ReadAsStringAsync());
        Assert.Equal("""{"tagValues":[{"type":"string","value":"GET /cart"},{"type":"string","value":"SELECT cart"}],"metrics":{}}""", await names.Content.ReadAsStringAsync());
        Assert.Equal("""{"tagValues":[{"type":"string","value":"/cart"}],"metrics":{}}""", await quoted.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    private static async Task<ThreadlineServer> StartWithSpansAsync()
    {
        var server = await TempoTestServer.StartAsync();
        var cart = new Resource([new KeyValue("service.name", "cart"), new KeyValue("host.name", "h1")]);
        var checkout = new Resource([new KeyValue("service.name", "checkout")]);
        var traceId = new TraceId(0, 0x77);
        Span[] spans =
        [
            new()
            {
                TraceId = traceId, SpanId = new SpanId(1), Name = "GET /cart", Kind = SpanKind.Server, StartTimeUnixNano = 1_700_000_000_000_000_000,
                EndTimeUnixNano = 1_700_000_000_100_000_000, Resource = checkout,
                Attributes = [new KeyValue("http.route", "/cart"), new KeyValue("http.response.status_code", 200L)],
            },
            new()
            {
                TraceId = traceId, SpanId = new SpanId(2), ParentSpanId = new SpanId(1), Name = "SELECT cart", Kind = SpanKind.Client,
                StartTimeUnixNano = 1_700_000_000_010_000_000, EndTimeUnixNano = 1_700_000_000_020_000_000, Resource = cart,
                Attributes = [new KeyValue("db.system.name", "sqlite"), new KeyValue("http.response.status_code", 503L)],
            },
        ];
        await server.Services.GetRequiredService<ITraceStore>().AppendAsync(spans, TestContext.Timeout);
        return server;
    }
}
