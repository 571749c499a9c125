using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Threadline.Core.Model;
using Threadline.Pipeline;
using Threadline.Protocol.Otlp;
using Threadline.Storage;
using Threadline.Testing;
using Resource = Threadline.Core.Model.Resource;

namespace Threadline.IntegrationTests;

/// <summary>
/// When the store stalls and the ingest queue is full, the server refuses with 429 /
/// RESOURCE_EXHAUSTED and a retry hint; the OpenTelemetry SDK's retry then succeeds once the
/// store recovers, and nothing is lost.
/// </summary>
[Collection(nameof(OpenTelemetryRetryCollection))]
public sealed class BackpressureTests
{
    private const int QueueCapacity = 3;

    public static TheoryData<string> Protocols => new() { "grpc", "http/protobuf" };

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task Sdk_retry_after_a_full_queue_succeeds_and_nothing_is_lost(string protocol)
    {
        var store = new GatedStore();
        await using var server = await TestServer.StartAsync(
            options => options.Ingest.MaxQueuedSpans = QueueCapacity,
            services => services.Replace(ServiceDescriptor.Singleton<ITraceStore>(store)));
        var queue = server.Services.GetRequiredService<IngestQueue>();

        // Fill the queue: this request is admitted and held at the store's gate.
        var fillingSpans = Enumerable.Range(1, QueueCapacity).Select(i => FillerSpan((ulong)i)).ToArray();
        using var http = new HttpClient();
        var filling = PostProtobufAsync(http, server.OtlpHttpEndpoint, OtlpProtobufEncoder.EncodeExportRequest(fillingSpans));
        await store.AppendEnteredAsync().WaitAsync(TimeSpan.FromSeconds(30));

        // The SDK exports while the queue is full: its first attempt is refused with a retry hint.
        var sourceName = "Threadline.IntegrationTests.Backpressure." + protocol;
        using var source = new ActivitySource(sourceName);
        using var provider = OpenTelemetry.Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("retrying-service"))
            .AddSource(sourceName)
            .AddOtlpExporter(options =>
            {
                options.Protocol = protocol == "grpc" ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
                options.Endpoint = protocol == "grpc" ? server.OtlpGrpcEndpoint : new Uri(server.OtlpHttpEndpoint, "/v1/traces");
                options.ExportProcessorType = ExportProcessorType.Simple;
                options.TimeoutMilliseconds = 30_000;
            })
            .Build();

        ActivityTraceId exportedTraceId = default;
        var export = Task.Run(() =>
        {
            using var activity = source.StartActivity("work under pressure", ActivityKind.Server)!;
            exportedTraceId = activity.TraceId;
        });

        await WaitUntilAsync(() => queue.Statistics.RejectedRequests >= 1);

        // The store recovers: the held request completes and the SDK's retry gets in.
        store.Open();
        using (var filled = await filling)
        {
            Assert.Equal(HttpStatusCode.OK, filled.StatusCode);
        }
        await export.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(provider.ForceFlush(30_000));

        var stored = await server.Api.GetTraceAsync(exportedTraceId);
        var span = Assert.Single(stored);
        Assert.Equal("work under pressure", span.Name);
        Assert.Equal("retrying-service", span.ServiceName);
        Assert.Equal(QueueCapacity, (await server.Api.GetTraceAsync(fillingSpans[0].TraceId.ToString())).Count);

        var statistics = queue.Statistics;
        Assert.True(statistics.RejectedRequests >= 1);
        Assert.Equal(QueueCapacity + 1, statistics.ConsumedSpans);
        Assert.Equal(0, statistics.FailedSpans);
    }

    private static Span FillerSpan(ulong id) => new()
    {
        TraceId = new TraceId(0xfeed, 0xbeef),
        SpanId = new SpanId(id),
        Name = "filler",
        StartTimeUnixNano = 1_700_000_000_000_000_000,
        EndTimeUnixNano = 1_700_000_000_001_000_000,
        Resource = new Resource([new KeyValue("service.name", "filler")]),
    };

    private static async Task<HttpResponseMessage> PostProtobufAsync(HttpClient http, Uri otlpHttp, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        return await http.PostAsync(new Uri(otlpHttp, "/v1/traces"), content);
    }

    /// <summary>Waits for a condition the server reaches on its own, checking often, failing after a generous bound.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException("The condition was not reached in 30 s.");
            await Task.Delay(10);
        }
    }
}

/// <summary>
/// The OpenTelemetry exporter reads its retry switch from the environment when it is built, so
/// the tests that turn it on share one collection that sets it once.
/// </summary>
[CollectionDefinition(nameof(OpenTelemetryRetryCollection), DisableParallelization = true)]
public sealed class OpenTelemetryRetryCollection : ICollectionFixture<OpenTelemetryRetryEnabled>;

public sealed class OpenTelemetryRetryEnabled
{
    public OpenTelemetryRetryEnabled() => Environment.SetEnvironmentVariable("OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY", "in_memory");
}
