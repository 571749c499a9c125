using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Threadline.Protocol.Otlp;
using Threadline.Server.Options;
using Threadline.Server.Tests.Infrastructure;
using Threadline.Storage;

namespace Threadline.Server.Tests.Receivers;

/// <summary>
/// The decode-only mode is loadgen's baseline: requests are decoded, queued and acknowledged,
/// the pipeline's last stage discards them instead of storing, and every discarded span is
/// counted so the mode can never hide data loss.
/// </summary>
public sealed class DecodeOnlyModeTests
{
    [Fact]
    public async Task Decode_only_acknowledges_stores_nothing_and_counts_what_it_discarded()
    {
        await using var server = await TestServer.StartAsync(options => options.Ingest.Mode = IngestOptions.DecodeOnlyMode);
        var spans = TestSpans.Trace();

        using var response = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", OtlpProtobufEncoder.EncodeExportRequest(spans), "application/x-protobuf");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var store = server.Services.GetRequiredService<ITraceStore>();
        Assert.Empty(await store.GetTraceAsync(spans[0].TraceId, TestContext.Timeout));
        using var status = await HttpTestClient.GetAsync(server.ApiEndpoint, "/api/v1/status");
        var json = await HttpTestClient.JsonAsync(status);
        Assert.Equal(spans.Length, json.GetProperty("receivers").GetProperty("discardedSpans").GetInt64());
        Assert.Equal(spans.Length, json.GetProperty("ingest").GetProperty("acceptedSpans").GetInt64());
        Assert.Equal(0, json.GetProperty("ingest").GetProperty("storedSpans").GetInt64());
    }

    [Fact]
    public async Task Malformed_input_is_still_refused_in_decode_only_mode()
    {
        await using var server = await TestServer.StartAsync(options => options.Ingest.Mode = IngestOptions.DecodeOnlyMode);

        using var response = await HttpTestClient.PostAsync(server.OtlpHttpEndpoint, "/v1/traces", [0x0a, 0xff, 0xff], "application/x-protobuf");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public void An_unknown_ingest_mode_is_a_configuration_error()
    {
        var options = new ThreadlineOptions();
        options.Ingest.Mode = "fast";

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => ThreadlineOptionsValidator.ThrowIfInvalid(options));

        Assert.Contains(error.Failures, f => f.Contains("Ingest:Mode", StringComparison.Ordinal));
    }
}
