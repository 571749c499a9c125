using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Threadline.Sdk;
using Threadline.Sdk.Export;
using OtelExportResult = OpenTelemetry.ExportResult;
using OtelRatioSampler = OpenTelemetry.Trace.TraceIdRatioBasedSampler;
using ThreadlineExportResult = Threadline.Sdk.Export.ExportResult;
using ThreadlineRatioSampler = Threadline.Sdk.Sampling.TraceIdRatioBasedSampler;

namespace Threadline.Benchmarks.Sdk;

/// <summary>
/// The cost of one span to the instrumented thread, Threadline against OpenTelemetry .NET in the same run:
/// a sampled span with five attributes through a batch processor into an exporter that does nothing, and
/// a span the sampler drops. Each side listens to its own sources so the listeners never overlap.
/// The "Activity alone" rows are the floor under both SDKs: a bare ActivityListener that samples
/// everything and does nothing else, with the attribute values boxed once outside the measured code.
/// Whatever an SDK built on Activity does, it cannot cost less than these rows.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SpanBenchmarks
{
    private readonly ActivitySource _threadlineSampled = new("Bench.Threadline.Sampled");
    private readonly ActivitySource _threadlineDropped = new("Bench.Threadline.Dropped");
    private readonly ActivitySource _threadlineUnexportedSource = new("Bench.Threadline.Unexported");
    private readonly ActivitySource _otelSampled = new("Bench.OpenTelemetry.Sampled");
    private readonly ActivitySource _otelDropped = new("Bench.OpenTelemetry.Dropped");
    private readonly ActivitySource _bareSampled = new("Bench.Activity.Sampled");
    private readonly ActivitySource _bareDropped = new("Bench.Activity.Dropped");

    private static readonly object StatusCode = 200L;
    private static readonly object DurationRatio = 0.25;
    private static readonly object Premium = true;

    private TracingSession? _threadline;
    private TracingSession? _threadlineOff;
    private TracingSession? _threadlineUnexported;
    private TracerProvider? _otel;
    private TracerProvider? _otelOff;
    private ActivityListener? _bare;

    [GlobalSetup]
    public void Setup()
    {
        _threadline = ThreadlineTracing.Start(
            o =>
            {
                o.IncludeFrameworkSources = false;
                o.InstallPropagator = false;
                o.AddSource(_threadlineSampled.Name);
                o.AddExporter(new NoOpSpanExporter());
            },
            _ => null);
        // The same session without any exporter (OTEL_TRACES_EXPORTER=none): what the batch queue costs
        // is the difference from the Threadline row.
        _threadlineUnexported = ThreadlineTracing.Start(
            o =>
            {
                o.IncludeFrameworkSources = false;
                o.InstallPropagator = false;
                o.AddSource(_threadlineUnexportedSource.Name);
            },
            name => name == "OTEL_TRACES_EXPORTER" ? "none" : null);
        _threadlineOff = ThreadlineTracing.Start(
            o =>
            {
                o.IncludeFrameworkSources = false;
                o.InstallPropagator = false;
                o.AddSource(_threadlineDropped.Name);
                o.Sampler = new ThreadlineRatioSampler(0);
                o.AddExporter(new NoOpSpanExporter());
            },
            _ => null);

        _otel = OpenTelemetry.Sdk.CreateTracerProviderBuilder()
            .AddSource(_otelSampled.Name)
            .AddProcessor(new BatchActivityExportProcessor(new NoOpOtelExporter()))
            .Build();
        _otelOff = OpenTelemetry.Sdk.CreateTracerProviderBuilder()
            .AddSource(_otelDropped.Name)
            .SetSampler(new OtelRatioSampler(0))
            .AddProcessor(new BatchActivityExportProcessor(new NoOpOtelExporter()))
            .Build();

        _bare = new ActivityListener
        {
            ShouldListenTo = source => source == _bareSampled || source == _bareDropped,
            Sample = (ref ActivityCreationOptions<ActivityContext> options) => options.Source == _bareSampled
                ? ActivitySamplingResult.AllDataAndRecorded
                : ActivitySamplingResult.PropagationData,
        };
        ActivitySource.AddActivityListener(_bare);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _threadline?.Dispose();
        _threadlineOff?.Dispose();
        _threadlineUnexported?.Dispose();
        _otel?.Dispose();
        _otelOff?.Dispose();
        _bare?.Dispose();
    }

    [Benchmark(Baseline = true, Description = "OpenTelemetry")]
    [BenchmarkCategory("Sampled span, 5 attributes")]
    public void OpenTelemetrySampled()
    {
        using var activity = _otelSampled.StartActivity("GET /orders/{id}", ActivityKind.Server);
        activity?.SetTag("http.request.method", "GET");
        activity?.SetTag("http.route", "/orders/{id}");
        activity?.SetTag("http.response.status_code", 200);
        activity?.SetTag("server.duration_ratio", 0.25);
        activity?.SetTag("user.premium", true);
    }

    [Benchmark(Description = "Threadline")]
    [BenchmarkCategory("Sampled span, 5 attributes")]
    public void ThreadlineSampled()
    {
        using var span = _threadlineSampled.StartSpan("GET /orders/{id}", ActivityKind.Server);
        span.SetAttribute("http.request.method", "GET");
        span.SetAttribute("http.route", "/orders/{id}");
        span.SetAttribute("http.response.status_code", 200);
        span.SetAttribute("server.duration_ratio", 0.25);
        span.SetAttribute("user.premium", true);
    }

    [Benchmark(Description = "Threadline, no exporter")]
    [BenchmarkCategory("Sampled span, 5 attributes")]
    public void ThreadlineUnexported()
    {
        using var span = _threadlineUnexportedSource.StartSpan("GET /orders/{id}", ActivityKind.Server);
        span.SetAttribute("http.request.method", "GET");
        span.SetAttribute("http.route", "/orders/{id}");
        span.SetAttribute("http.response.status_code", 200);
        span.SetAttribute("server.duration_ratio", 0.25);
        span.SetAttribute("user.premium", true);
    }

    [Benchmark(Description = "Activity alone (floor)")]
    [BenchmarkCategory("Sampled span, 5 attributes")]
    public void ActivityAloneSampled()
    {
        using var activity = _bareSampled.StartActivity("GET /orders/{id}", ActivityKind.Server);
        activity?.SetTag("http.request.method", "GET");
        activity?.SetTag("http.route", "/orders/{id}");
        activity?.SetTag("http.response.status_code", StatusCode);
        activity?.SetTag("server.duration_ratio", DurationRatio);
        activity?.SetTag("user.premium", Premium);
    }

    [Benchmark(Baseline = true, Description = "OpenTelemetry")]
    [BenchmarkCategory("Span dropped by the sampler")]
    public void OpenTelemetryDropped()
    {
        using var activity = _otelDropped.StartActivity("GET /orders/{id}", ActivityKind.Server);
        activity?.SetTag("http.request.method", "GET");
    }

    [Benchmark(Description = "Threadline")]
    [BenchmarkCategory("Span dropped by the sampler")]
    public void ThreadlineDropped()
    {
        using var span = _threadlineDropped.StartSpan("GET /orders/{id}", ActivityKind.Server);
        span.SetAttribute("http.request.method", "GET");
    }

    [Benchmark(Description = "Activity alone (floor)")]
    [BenchmarkCategory("Span dropped by the sampler")]
    public void ActivityAloneDropped()
    {
        using var activity = _bareDropped.StartActivity("GET /orders/{id}", ActivityKind.Server);
        activity?.SetTag("http.request.method", "GET");
    }

    private sealed class NoOpSpanExporter : SpanExporter
    {
        public override Task<ThreadlineExportResult> ExportAsync(IReadOnlyList<Activity> batch, CancellationToken cancellationToken) =>
            Task.FromResult(ThreadlineExportResult.Success);
    }

    private sealed class NoOpOtelExporter : BaseExporter<Activity>
    {
        public override OtelExportResult Export(in Batch<Activity> batch) => OtelExportResult.Success;
    }
}
