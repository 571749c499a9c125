using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Threadline.Pipeline.Ingest;
using Threadline.Server.Api;
using Threadline.Server.Api.Jaeger;
using Threadline.Server.Metrics;
using Threadline.Server.Options;
using Threadline.Server.Receivers.Grpc;
using Threadline.Server.Receivers.Http;
using Threadline.Server.Receivers.Zipkin;

namespace Threadline.Server.Hosting;

/// <summary>
/// One request pipeline serves every listener. Every request is routed, gRPC calls to Grpc.AspNetCore
/// too, and each route answers only on its own port. A request nothing on its port takes gets the <see cref="WrongPortResponder"/>'s guide.
/// </summary>
internal static class ThreadlineRoutes
{
    public static void Map(WebApplication app, ServerListeners listeners)
    {
        var services = app.Services;
        var wrongPort = new WrongPortResponder(listeners, services.GetRequiredService<ReceiverMetrics>(), services.GetRequiredService<ILogger<WrongPortResponder>>());
        var grpcCalls = services.GetRequiredService<GrpcCallAccounting>();

        // Every gRPC call is a POST; anything else on that port (a health probe) is routed as usual.
        app.Use(next => context =>
            listeners.RoleOf(context) == ListenerRole.OtlpGrpc && HttpMethods.IsPost(context.Request.Method)
                ? grpcCalls.InvokeAsync(context, next)
                : next(context));

        app.UseRouting();
        app.Use(next => context =>
        {
            var required = context.GetEndpoint()?.Metadata.GetMetadata<ListenerRoleMetadata>();
            var elsewhere = required is not null && required.Role != listeners.RoleOf(context);
            return elsewhere || context.GetEndpoint() is null ? wrongPort.RespondAsync(context) : next(context);
        });

        app.MapGrpcService<OtlpTraceGrpcService>().WithMetadata(new ListenerRoleMetadata(ListenerRole.OtlpGrpc));

        var health = services.GetRequiredService<HealthEndpoints>();
        app.MapGet(HealthEndpoints.LivenessPath, HealthEndpoints.LivenessAsync);
        app.MapGet(HealthEndpoints.ReadinessPath, health.ReadinessAsync);

        var otlpHttp = services.GetRequiredService<OtlpHttpTraceReceiver>();
        app.MapPost(OtlpHttpTraceReceiver.Path, otlpHttp.HandleAsync).WithMetadata(new ListenerRoleMetadata(ListenerRole.OtlpHttp));

        var zipkin = services.GetRequiredService<ZipkinSpansReceiver>();
        app.MapPost(ZipkinSpansReceiver.Path, zipkin.HandleAsync).WithMetadata(new ListenerRoleMetadata(ListenerRole.Zipkin));

        MapApi(app, services);
    }

    private static void MapApi(WebApplication app, IServiceProvider services)
    {
        var api = app.MapGroup("/api/v1").WithMetadata(new ListenerRoleMetadata(ListenerRole.Api));
        var trace = services.GetRequiredService<TraceEndpoint>();
        var search = services.GetRequiredService<SearchEndpoint>();
        var catalog = services.GetRequiredService<CatalogEndpoints>();
        var status = services.GetRequiredService<StatusEndpoint>();

        api.MapGet("/traces/{traceId}", trace.HandleAsync);
        api.MapGet("/search", search.HandleAsync);
        api.MapGet("/services", catalog.ServicesAsync);
        api.MapGet("/services/{service}/operations", catalog.OperationsAsync);
        api.MapGet("/tags", catalog.TagKeysAsync);
        api.MapGet("/tags/{key}/values", catalog.TagValuesAsync);
        api.MapGet("/status", status.HandleAsync);

        JaegerRoutes.Map(app.MapGroup(string.Empty).WithMetadata(new ListenerRoleMetadata(ListenerRole.Api)), services);

        var metrics = services.GetRequiredService<MetricsEndpoint>();
        app.MapGet(MetricsEndpoint.Path, metrics.HandleAsync).WithMetadata(new ListenerRoleMetadata(ListenerRole.Api));
    }
}
