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
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class SpanBenchmarks
{
    private readonly ActivitySource _threadlineSampled = new("Bench.Threadline.Sampled");
    private readonly ActivitySource _threadlineDropped = new("Bench.Threadline.Dropped");
    private readonly ActivitySource _otelSampled = new("Bench.OpenTelemetry.Sampled");
    private readonly ActivitySource _otelDropped = new("Bench.OpenTelemetry.Dropped");

    private TracingSession? _threadline;
    private TracingSession? _threadlineOff;
    private TracerProvider? _otel;
    private TracerProvider? _otelOff;

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
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _threadline?.Dispose();
        _threadlineOff?.Dispose();
        _otel?.Dispose();
        _otelOff?.Dispose();
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
