using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Threadline.Sdk;
using Threadline.Sdk.Export.Otlp;
using Threadline.Sdk.Propagation;

namespace Threadline.IntegrationTests.Interop;

/// <summary>
/// A service traced with Threadline.Sdk: its session listens to this service's source only (no
/// framework sources, which the other SDK's services would share) and installs its propagator, which
/// <see cref="TextMapPropagators.Inject{TCarrier}(Activity?, TCarrier, CarrierSetter{TCarrier})"/> and
/// <see cref="TextMapPropagators.Extract{TCarrier}"/> then use.
/// </summary>
internal sealed class ThreadlineSide : TracingSide
{
    private readonly TracingSession _session;

    public ThreadlineSide(string serviceName, Uri otlpGrpcEndpoint)
        : base(serviceName, "threadline")
    {
        _session = ThreadlineTracing.Start(
            options =>
            {
                options.ServiceName = serviceName;
                options.IncludeFrameworkSources = false;
                options.AddSource(Source.Name);
                options.UseOtlpExporter(otlp =>
                {
                    otlp.Endpoint = otlpGrpcEndpoint;
                    otlp.Protocol = OtlpExportProtocol.Grpc;
                });
            },
            // The machine's OTEL_* variables must not change what the test configures.
            static _ => null);
    }

    public override Activity StartRoot(string name, string traceState, string tenant)
    {
        var root = Source.StartSpan(name, ActivityKind.Server, parent: default)!;
        root.TraceStateString = traceState;
        root.AddBaggage(TenantKey, tenant);
        return root;
    }

    public override Activity StartChild(string name, ActivityKind kind) => Source.StartSpan(name, kind)!;

    public override Activity StartServer(string name, HttpRequest request)
    {
        var remote = TextMapPropagators.Extract(request.Headers, static (headers, key) =>
            headers.TryGetValue(key, out var values) ? new FieldValues(values.OfType<string>().ToArray()) : default);
        var span = Source.StartSpan(name, ActivityKind.Server, parent: remote.ActivityContext)!;
        remote.Baggage.ApplyTo(span);
        return span;
    }

    public override void Inject(Activity span, HttpRequestMessage request) =>
        TextMapPropagators.Inject(span, request, static (message, key, value) => message.Headers.TryAddWithoutValidation(key, value));

    public override string? Tenant(Activity span) => span.GetBaggageItem(TenantKey);

    public override async Task FlushAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.True(await _session.ForceFlushAsync(timeout.Token), $"{ServiceName}: Threadline.Sdk did not flush.");
    }

    public override async ValueTask DisposeAsync()
    {
        await _session.DisposeAsync();
        Source.Dispose();
    }
}
