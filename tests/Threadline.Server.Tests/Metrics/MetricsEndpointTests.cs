using System.Net;
using System.Text;
using Threadline.Protocol.Otlp;
using Threadline.Server.Tests.Infrastructure;
using Threadline.Testing;

namespace Threadline.Server.Tests.Metrics;

public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Spans_ingested_over_each_protocol_show_up_in_the_scrape()
    {
        await using var server = await TestServer.StartAsync(options => options.Ingest.MaxQueuedSpans = 1234);
        var otlp = TestSpans.Trace();
        var zipkinTrace = TestSpans.NewTraceId().ToString();

        using (var response = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", OtlpProtobufEncoder.EncodeExportRequest(otlp), "application/x-protobuf"))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using (var response = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", OtlpProtobufEncoder.EncodeExportRequest(TestSpans.Trace()), "application/x-protobuf"))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using (var response = await HttpTestClient.PostAsync(server.ZipkinEndpoint, "/api/v2/spans", ZipkinSpans(zipkinTrace, "a000000000000001", "a000000000000002", "not-hex"), "application/json"))
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using (var response = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", [0x0a, 0xff, 0xff], "application/x-protobuf"))
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        var metrics = await ScrapeAsync(server.ApiEndpoint);

        Assert.Equal(4, metrics.Value("threadline_receiver_spans_total", ("protocol", "otlp_http"), ("outcome", "accepted")));
        Assert.Equal(2, metrics.Value("threadline_receiver_requests_total", ("protocol", "otlp_http"), ("outcome", "accepted")));
        Assert.Equal(1, metrics.Value("threadline_receiver_requests_total", ("protocol", "otlp_http"), ("outcome", "malformed")));
        Assert.Equal(2, metrics.Value("threadline_receiver_spans_total", ("protocol", "zipkin"), ("outcome", "accepted")));
        Assert.Equal(1, metrics.Value("threadline_receiver_spans_total", ("protocol", "zipkin"), ("outcome", "invalid")));
        Assert.Equal(1, metrics.Value("threadline_spans_dropped_total", ("reason", "invalid")));
        Assert.Equal(6, metrics.Value("threadline_store_spans_total"));
        Assert.Equal(6, metrics.Value("threadline_store_resident_spans"));
        Assert.Equal(0, metrics.Value("threadline_ingest_queue_spans"));
        Assert.Equal(1234, metrics.Value("threadline_ingest_queue_capacity_spans"));
        Assert.Equal(6, metrics.Value("threadline_ingest_queue_consumed_spans_total"));
        // Each request is one append here, so the histogram saw three.
        Assert.Equal(3, metrics.Value("threadline_store_append_duration_seconds_count"));
        Assert.Equal(3, metrics.Value("threadline_store_append_duration_seconds_bucket", ("le", "+Inf")));
        Assert.True(metrics.Value("threadline_store_append_duration_seconds_sum") > 0);
        Assert.Equal("histogram", metrics.Types["threadline_store_append_duration_seconds"]);
    }

    [Fact]
    public async Task Status_reports_the_same_numbers_as_the_scrape()
    {
        await using var server = await TestServer.StartAsync();
        using (var response = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", OtlpProtobufEncoder.EncodeExportRequest(TestSpans.Trace()), "application/x-protobuf"))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using (var response = await HttpTestClient.PostAsync(server.ZipkinEndpoint, "/api/v2/spans", [1, 2, 3], "text/csv"))
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);

        var metrics = await ScrapeAsync(server.ApiEndpoint);
        using var status = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/v1/status");
        var json = await HttpTestClient.JsonAsync(status);

        Assert.Equal(metrics.Value("threadline_store_spans_total"), json.GetProperty("ingest").GetProperty("storedSpans").GetInt64());
        Assert.Equal(metrics.Value("threadline_ingest_queue_admitted_spans_total"), json.GetProperty("ingest").GetProperty("acceptedSpans").GetInt64());
        Assert.Equal(metrics.Value("threadline_ingest_queue_capacity_spans"), json.GetProperty("ingest").GetProperty("maxQueuedSpans").GetInt64());
        Assert.Equal(metrics.Sum("threadline_receiver_requests_total", ("outcome", "unsupported")), json.GetProperty("receivers").GetProperty("unsupportedRequests").GetInt64());
        Assert.Equal(metrics.Value("threadline_store_resident_spans"), json.GetProperty("storage").GetProperty("spans").GetInt64());
        Assert.Equal(metrics.Value("threadline_store_traces"), json.GetProperty("storage").GetProperty("traces").GetInt64());
        Assert.Equal(2, json.GetProperty("storage").GetProperty("spans").GetInt64());
        Assert.Equal(1, json.GetProperty("receivers").GetProperty("unsupportedRequests").GetInt64());
    }

    [Fact]
    public async Task A_store_without_its_own_metrics_still_gets_append_counts_and_no_storage_figures()
    {
        var store = new GatedStore(gateOpen: true);
        await using var server = await TestServer.StartAsync(store: store);
        using (var response = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", OtlpProtobufEncoder.EncodeExportRequest(TestSpans.Trace()), "application/x-protobuf"))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var metrics = await ScrapeAsync(server.ApiEndpoint);
        using var status = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/v1/status");
        var storage = (await HttpTestClient.JsonAsync(status)).GetProperty("storage");

        Assert.Equal(2, metrics.Value("threadline_store_spans_total"));
        Assert.DoesNotContain(metrics.Samples, s => s.Name == "threadline_store_resident_spans");
        Assert.False(storage.TryGetProperty("spans", out _));
        Assert.Equal("memory", storage.GetProperty("engine").GetString());
    }

    [Fact]
    public async Task Metrics_are_served_only_on_the_api_port()
    {
        await using var server = await TestServer.StartAsync();

        using var response = await HttpTestClient.GetAsync(server.OtlpHttpEndpoint, "/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    internal static async Task<PrometheusText> ScrapeAsync(Uri api)
    {
        using var response = await HttpTestClient.GetAsync(api, "/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync(TestContext.Timeout));
    }

    private static byte[] ZipkinSpans(string traceId, params string[] spanIds) => Encoding.UTF8.GetBytes(
        "[" + string.Join(",", spanIds.Select(id =>
            $$$"""{"traceId":"{{{traceId}}}","id":"{{{id}}}","name":"get /cart","timestamp":1700000000000000,"duration":1500,"localEndpoint":{"serviceName":"cart"}}""")) + "]");
}
