using System.Net;
using System.Net.Http.Headers;
using Threadline.Core.Model;
using Threadline.Pipeline.Limits;
using Threadline.Protocol.Otlp;

namespace Threadline.IntegrationTests;

/// <summary>
/// Hostile but well-formed payloads through the real server: each is answered with bounded work,
/// and a normal export sent at the same time is stored as usual.
/// </summary>
public sealed class HostileInputTests
{
    [Fact]
    public async Task Absurdly_nested_attribute_is_refused_with_400_and_others_keep_being_served()
    {
        await using var server = await TestServer.StartAsync();
        var nested = AttributeValue.FromString("bottom");
        for (var depth = 0; depth < 200; depth++) nested = AttributeValue.FromArray([nested]);

        var (hostile, normal) = await SendAlongsideNormalAsync(server, SpanWith(1, new KeyValue("deep", nested)));

        Assert.Equal(HttpStatusCode.BadRequest, hostile.Status);
        Assert.Contains("nest", hostile.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, normal);
        Assert.Empty(await server.Api.GetTraceAsync(TraceFor(1).ToString()));
    }

    [Fact]
    public async Task Multi_megabyte_string_attribute_is_stored_cut_to_the_value_limit_and_others_keep_being_served()
    {
        await using var server = await TestServer.StartAsync();
        var huge = new string('x', 8 * 1024 * 1024);

        var (hostile, normal) = await SendAlongsideNormalAsync(server, SpanWith(2, new KeyValue("payload", huge)));

        Assert.Equal(HttpStatusCode.OK, hostile.Status);
        Assert.Equal(HttpStatusCode.OK, normal);
        var stored = Assert.Single(await server.Api.GetTraceAsync(TraceFor(2).ToString()));
        Assert.Equal(new SpanLimitsOptions().MaxAttributeValueBytes, stored.Attributes.Single(a => a.Key == "payload").Value.AsString().Length);
    }

    [Fact]
    public async Task Hundreds_of_thousands_of_tiny_attributes_are_stored_up_to_the_count_limit_and_others_keep_being_served()
    {
        await using var server = await TestServer.StartAsync();
        var attributes = Enumerable.Range(0, 300_000).Select(i => new KeyValue("k" + i, i)).ToArray();

        var (hostile, normal) = await SendAlongsideNormalAsync(server, SpanWith(3, attributes));

        Assert.Equal(HttpStatusCode.OK, hostile.Status);
        Assert.Equal(HttpStatusCode.OK, normal);
        var stored = Assert.Single(await server.Api.GetTraceAsync(TraceFor(3).ToString()));
        var limit = new SpanLimitsOptions().MaxAttributesPerSpan;
        Assert.Equal((limit, (uint)(300_000 - limit)), (stored.Attributes.Length, stored.DroppedAttributesCount));
    }

    private static async Task<((HttpStatusCode Status, string Body) Hostile, HttpStatusCode Normal)> SendAlongsideNormalAsync(TestServer server, Span hostileSpan)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        var endpoint = new Uri(server.OtlpHttpEndpoint, "/v1/traces");
        var hostileTask = PostAsync(http, endpoint, OtlpProtobufEncoder.EncodeExportRequest([hostileSpan]));
        var normalTask = PostAsync(http, endpoint, OtlpProtobufEncoder.EncodeExportRequest([SpanWith(99, new KeyValue("http.route", "/ok"))]));
        var hostile = await hostileTask;
        var normal = await normalTask;
        Assert.Single(await server.Api.GetTraceAsync(TraceFor(99).ToString()));
        return (hostile, normal.Status);
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient http, Uri endpoint, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        using var response = await http.PostAsync(endpoint, content);
        var text = System.Text.Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
        return (response.StatusCode, text);
    }

    private static TraceId TraceFor(ulong n) => new(0xabc, n);

    private static Span SpanWith(ulong n, params KeyValue[] attributes) => new()
    {
        TraceId = TraceFor(n),
        SpanId = new SpanId(n),
        Name = "hostile " + n,
        Kind = SpanKind.Server,
        StartTimeUnixNano = 1_700_000_000_000_000_000,
        EndTimeUnixNano = 1_700_000_000_100_000_000,
        Attributes = attributes,
        Resource = new Resource([new KeyValue("service.name", "hostile-client")]),
    };
}
