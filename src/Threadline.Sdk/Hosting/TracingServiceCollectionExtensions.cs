using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Threadline.Sdk.Diagnostics;

namespace Threadline.Sdk;

/// <summary>Tracing in an application built on the .NET generic host (ASP.NET Core, workers).</summary>
public static class TracingServiceCollectionExtensions
{
    /// <summary>
    /// Traces the application: a hosted service starts a <see cref="TracingSession"/> when the host starts
    /// and shuts it down (exporting what is queued) when the host stops. The session is also registered, so
    /// it can be injected, e.g. to call <see cref="TracingSession.ForceFlushAsync"/>.
    /// </summary>
    /// <remarks>
    /// Call it before other hosted services are added so that tracing starts first. The configured
    /// propagator also replaces the host's <see cref="DistributedContextPropagator"/> service, which ASP.NET
    /// Core uses to read the context of incoming requests. Calling it again (from
    /// a library, say) adds that call's configuration to the same session. Options and environment
    /// variables behave as in <see cref="ThreadlineTracing.Start"/>, except that the SDK's messages about
    /// failed exports and ignored settings go to the host's <c>ILogger</c> (category <c>Threadline.Sdk</c>).
    /// </remarks>
    /// <example>
    /// <code>
    /// builder.Services.AddThreadlineTracing(o =>
    /// {
    ///     o.ServiceName = "checkout";
    ///     o.AddSource("MyCompany.*");
    ///     o.UseOtlpExporter();
    /// });
    /// </code>
    /// </example>
    public static IServiceCollection AddThreadlineTracing(this IServiceCollection services, Action<TracingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        TracingSetup? setup = null;
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(TracingSetup) && descriptor.ImplementationInstance is TracingSetup existing)
            {
                setup = existing;
                break;
            }
        }
        if (setup is null)
        {
            setup = new TracingSetup();
            services.AddSingleton(setup);
            services.AddSingleton(provider => provider.GetRequiredService<TracingSetup>().Start(provider.GetService<ILoggerFactory>()));
            services.AddHostedService<TracingHostedService>();
            // ASP.NET Core registers DistributedContextPropagator.Current as a service when the builder is
            // created, long before tracing starts, and extracts every incoming request's context with that
            // instance: without this, a B3 or baggage header configured here would be ignored on the way in.
            // Resolving it starts the session, which installs the configured propagator first.
            services.Replace(ServiceDescriptor.Singleton(provider => provider.GetRequiredService<TracingSession>().ContextPropagator));
        }
        if (configure is not null) setup.Configure.Add(configure);
        return services;
    }
}

/// <summary>The configuration collected from every AddThreadlineTracing call.</summary>
internal sealed class TracingSetup
{
    public List<Action<TracingOptions>> Configure { get; } = [];

    public Func<string, string?> GetEnvironmentVariable { get; set; } = Environment.GetEnvironmentVariable;

    /// <param name="loggers">The host's logging: the SDK's messages to the user go there rather than to standard error.</param>
    public TracingSession Start(ILoggerFactory? loggers) => ThreadlineTracing.Start(
        options =>
        {
            if (loggers is not null) options.Diagnostics.Writer = new LoggerWriter(loggers.CreateLogger(LoggerWriter.Category));
            foreach (var configure in Configure) configure(options);
        },
        GetEnvironmentVariable);
}

/// <summary>Starts the session with the host (by resolving it) and shuts it down when the host stops.</summary>
internal sealed class TracingHostedService(TracingSession session) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => session.ShutdownAsync(cancellationToken);
}
