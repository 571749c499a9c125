using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Threadline.Sdk.AspNetCore;

namespace Threadline.Sdk;

/// <summary>ASP.NET Core server spans completed the way the OpenTelemetry HTTP conventions describe them.</summary>
public static class AspNetCoreTracingServiceCollectionExtensions
{
    /// <summary>
    /// Completes ASP.NET Core's own server span (source <c>Microsoft.AspNetCore</c>) for every request: it is
    /// named <c>"{method} {route}"</c> (e.g. <c>GET /orders/{id}</c>), or just the method when no route matched,
    /// and gets <c>http.route</c> and <c>http.response.status_code</c>. A 5xx answer sets the Error status and
    /// <c>error.type</c> to the status code; an exception sets them to the exception (its full type name and
    /// message) and adds the <c>exception</c> event, whether it escapes the application or is turned into an
    /// answer by <c>UseExceptionHandler</c> or the developer exception page. A 4xx answer is not an error.
    /// </summary>
    /// <remarks>
    /// <para>
    /// A middleware placed before everything else in the pipeline (through an <see cref="IStartupFilter"/>)
    /// does this once the rest of the pipeline has run, so the status it records is the one the client
    /// gets. It completes whichever span ASP.NET Core created, so it works with <c>AddThreadlineTracing</c>
    /// and with <see cref="ThreadlineTracing.Start"/>; a request whose span is not recorded (no listener,
    /// or not sampled) costs one feature lookup.
    /// </para>
    /// <para>
    /// A method outside the HTTP standard set (GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE,
    /// PATCH) is named <c>HTTP</c>, as the conventions require, so that arbitrary methods cannot create
    /// arbitrary span names. A name the application gave the span itself (<c>Activity.DisplayName</c>)
    /// is kept. Calling this method more than once adds the middleware once.
    /// </para>
    /// <para>
    /// After <c>UseStatusCodePagesWithReExecute</c> the span is named after the status page's route:
    /// ASP.NET Core does not keep the endpoint that produced the status (<c>UseExceptionHandler</c> does).
    /// </para>
    /// </remarks>
    /// <example>
    /// <code>
    /// builder.Services.AddThreadlineTracing(o => o.ServiceName = "checkout").AddThreadlineAspNetCore();
    /// </code>
    /// </example>
    public static IServiceCollection AddThreadlineAspNetCore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, ServerSpanStartupFilter>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IDeveloperPageExceptionFilter, DeveloperPageExceptionRecorder>());
        return services;
    }
}
