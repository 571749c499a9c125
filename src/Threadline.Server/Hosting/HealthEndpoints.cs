using Microsoft.AspNetCore.Http;

namespace Threadline.Server.Hosting;

/// <summary>
/// <c>/healthz</c> (the process is alive) and <c>/readyz</c> (it takes traffic), answered on
/// every port so that each listener can be probed on its own.
/// </summary>
internal sealed class HealthEndpoints
{
    public const string LivenessPath = "/healthz";
    public const string ReadinessPath = "/readyz";

    private readonly ServerReadiness _readiness;

    public HealthEndpoints(ServerReadiness readiness) => _readiness = readiness;

    public static Task LivenessAsync(HttpContext context) => TextAsync(context, StatusCodes.Status200OK, "ok");

    public Task ReadinessAsync(HttpContext context) => _readiness.State switch
    {
        ReadinessState.Ready => TextAsync(context, StatusCodes.Status200OK, "ready"),
        ReadinessState.Starting => TextAsync(context, StatusCodes.Status503ServiceUnavailable, "starting"),
        _ => TextAsync(context, StatusCodes.Status503ServiceUnavailable, "stopping"),
    };

    private static Task TextAsync(HttpContext context, int statusCode, string text)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text, context.RequestAborted);
    }
}
