using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Threadline.Query.Search;
using Threadline.Storage;

namespace Threadline.Server.Api.Jaeger;

/// <summary>The Jaeger-compatible API's routes (v1 for the Jaeger UI, v3 as Jaeger v2 serves it), on the API port.</summary>
internal static class JaegerRoutes
{
    public static void Map(IEndpointRouteBuilder api, IServiceProvider services)
    {
        var search = services.GetRequiredService<TraceSearchService>();
        var store = services.GetRequiredService<ITraceStore>();
        var v1 = new JaegerEndpoints(search, store, services.GetService<TimeProvider>() ?? TimeProvider.System);
        var v3 = new JaegerV3Endpoints(search, store);

        api.MapGet("/api/services", v1.ServicesAsync);
        api.MapGet("/api/services/{service}/operations", v1.ServiceOperationsAsync);
        api.MapGet("/api/operations", v1.OperationsAsync);
        api.MapGet("/api/traces", v1.SearchAsync);
        api.MapGet("/api/traces/{traceID}", v1.TraceAsync);
        api.MapGet("/api/dependencies", v1.DependenciesAsync);

        api.MapGet("/api/v3/services", v3.ServicesAsync);
        api.MapGet("/api/v3/operations", v3.OperationsAsync);
        api.MapGet("/api/v3/traces", v3.FindTracesAsync);
        api.MapGet("/api/v3/traces/{traceId}", v3.TraceAsync);
        api.MapGet("/api/v3/trace-summaries", v3.TraceSummariesAsync);
    }
}
