using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Threadline.Pipeline.Ingest;
using Threadline.Server.Api;
using Threadline.Server.Api.Analysis;
using Threadline.Server.Api.Jaeger;
using Threadline.Server.Api.Tempo;
using Threadline.Server.Metrics;
using Threadline.Server.Options;
using Threadline.Server.Receivers.Grpc;
using Threadline.Server.Receivers.Http;
using Threadline.Server.Receivers.Zipkin;
using Threadline.Server.Tempo.Grpc;

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
        MapTempo(app, services);
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

        var traceql = services.GetRequiredService<TraceQLEndpoints>();
        api.MapGet("/traceql", traceql.SearchAsync);
        api.MapGet("/traceql/metrics", traceql.MetricsAsync);

        // aggregate analyses
        var aggregates = services.GetRequiredService<AggregateAnalysisEndpoints>();
        api.MapGet("/service-graph", aggregates.ServiceGraphAsync);
        api.MapGet("/services/{service}/red", aggregates.ServiceRedAsync);
        api.MapGet("/services/{service}/operations/red", aggregates.OperationsRedAsync);
        api.MapGet("/naming-health", aggregates.NamingHealthAsync);

        JaegerRoutes.Map(app.MapGroup(string.Empty).WithMetadata(new ListenerRoleMetadata(ListenerRole.Api)), services);

        var metrics = services.GetRequiredService<MetricsEndpoint>();
        app.MapGet(MetricsEndpoint.Path, metrics.HandleAsync).WithMetadata(new ListenerRoleMetadata(ListenerRole.Api));
    }

    /// <summary>Tempo's HTTP API and its gRPC StreamingQuerier, on the Tempo port only (paths as in Tempo's pkg/api/http.go).</summary>
    private static void MapTempo(WebApplication app, IServiceProvider services)
    {
        var role = new ListenerRoleMetadata(ListenerRole.Tempo);
        var tempo = services.GetRequiredService<TempoEndpoints>();
        var health = services.GetRequiredService<HealthEndpoints>();
        app.MapGrpcService<TempoStreamingQuerierService>().WithMetadata(role);
        app.MapGet("/ready", health.ReadinessAsync).WithMetadata(role);
        app.MapGet("/api/echo", TempoEndpoints.EchoAsync).WithMetadata(role);
        app.MapGet("/api/status/buildinfo", TempoEndpoints.BuildInfoAsync).WithMetadata(role);
        app.MapGet("/api/traces/{traceID}", tempo.TraceAsync).WithMetadata(role);
        app.MapGet("/api/v2/traces/{traceID}", tempo.TraceV2Async).WithMetadata(role);
        app.MapGet("/api/search", tempo.SearchAsync).WithMetadata(role);
        app.MapGet("/api/search/tags", tempo.TagsAsync).WithMetadata(role);
        app.MapGet("/api/v2/search/tags", tempo.TagsV2Async).WithMetadata(role);
        app.MapGet("/api/search/tag/{tagName}/values", tempo.TagValuesAsync).WithMetadata(role);
        app.MapGet("/api/v2/search/tag/{tagName}/values", tempo.TagValuesV2Async).WithMetadata(role);
        app.MapGet("/api/metrics/query_range", tempo.QueryRangeAsync).WithMetadata(role);
        app.MapGet("/api/metrics/query", tempo.QueryInstantAsync).WithMetadata(role);
    }
}
