using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Threadline.IntegrationTests.Interop;

/// <summary>A service traced with the official OpenTelemetry .NET SDK, exporting over OTLP/gRPC.</summary>
internal sealed class OpenTelemetrySide : TracingSide
{
    private static readonly TextMapPropagator Propagator =
        new CompositeTextMapPropagator([new TraceContextPropagator(), new BaggagePropagator()]);

    private readonly TracerProvider _provider;

    public OpenTelemetrySide(string serviceName, Uri otlpGrpcEndpoint)
        : base(serviceName, "otel")
    {
        _provider = OpenTelemetry.Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(serviceName))
            .AddSource(Source.Name)
            .AddOtlpExporter(options =>
            {
                options.Protocol = OtlpExportProtocol.Grpc;
                options.Endpoint = otlpGrpcEndpoint;
            })
            .Build();
    }

    public override Activity StartRoot(string name, string traceState, string tenant)
    {
        var root = Source.StartActivity(name, ActivityKind.Server, default(ActivityContext))!;
        root.TraceStateString = traceState;
        Baggage.SetBaggage(TenantKey, tenant);
        return root;
    }

    public override Activity StartChild(string name, ActivityKind kind) => Source.StartActivity(name, kind)!;

    public override Activity StartServer(string name, HttpRequest request)
    {
        var remote = Propagator.Extract(default, request.Headers, static (headers, key) =>
            headers.TryGetValue(key, out var values) ? values.OfType<string>() : []);
        Baggage.Current = remote.Baggage;
        return Source.StartActivity(name, ActivityKind.Server, remote.ActivityContext)!;
    }

    public override void Inject(Activity span, HttpRequestMessage request) =>
        Propagator.Inject(new PropagationContext(span.Context, Baggage.Current), request, static (message, key, value) =>
            message.Headers.TryAddWithoutValidation(key, value));

    public override string? Tenant(Activity span) => Baggage.GetBaggage(TenantKey);

    public override Task FlushAsync()
    {
        Assert.True(_provider.ForceFlush(10_000), $"{ServiceName}: the OpenTelemetry SDK did not flush.");
        return Task.CompletedTask;
    }

    public override ValueTask DisposeAsync()
    {
        _provider.Dispose();
        Source.Dispose();
        return ValueTask.CompletedTask;
    }
}
