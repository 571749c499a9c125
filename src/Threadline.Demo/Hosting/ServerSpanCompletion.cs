using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Threadline.Demo.Hosting;

/// <summary>
/// Finishes ASP.NET Core 10's server spans the way the HTTP semantic conventions want them: named
/// "POST /orders/{orderId}/confirm", with http.route and http.response.status_code, and in error for
/// 5xx answers. ASP.NET Core 10 records only the request side (with the telemetry switch off); .NET 11
/// does this itself. It belongs in the SDK's ASP.NET Core support; until it is there, the demo does it.
/// </summary>
internal static class ServerSpanCompletion
{
    public static void UseServerSpanCompletion(this WebApplication app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            var failed = context.Features.Get<IHttpActivityFeature>()?.Activity;
            failed?.SetTag("error.type", exception.GetType().FullName);
            failed?.SetStatus(ActivityStatusCode.Error, exception.Message);
            throw;
        }
        Complete(context);
    });

    private static void Complete(HttpContext context)
    {
        var span = context.Features.Get<IHttpActivityFeature>()?.Activity;
        if (span is null || !span.IsAllDataRequested) return;
        var status = context.Response.StatusCode;
        span.SetTag("http.response.status_code", status);
        if (context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } route })
        {
            span.SetTag("http.route", route);
            span.DisplayName = $"{context.Request.Method} {route}";
        }
        else
        {
            // Without a route the path would make the name high-cardinality; the method alone is the convention.
            span.DisplayName = context.Request.Method;
        }
        if (status >= 500)
        {
            span.SetTag("error.type", status.ToString(CultureInfo.InvariantCulture));
            span.SetStatus(ActivityStatusCode.Error);
        }
    }
}
