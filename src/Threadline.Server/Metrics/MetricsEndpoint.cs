using System.Text;
using Microsoft.AspNetCore.Http;

namespace Threadline.Server.Metrics;

/// <summary><c>GET /metrics</c> on the API port: the server's self-metrics in the Prometheus text format.</summary>
internal sealed class MetricsEndpoint
{
    public const string Path = "/metrics";

    private readonly MetricsCollector _collector;

    public MetricsEndpoint(MetricsCollector collector) => _collector = collector;

    public Task HandleAsync(HttpContext context)
    {
        var body = PrometheusTextFormat.Write(_collector.Collect());
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = PrometheusTextFormat.ContentType;
        return context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body), context.RequestAborted).AsTask();
    }
}
