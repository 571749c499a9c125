using Threadline.Sdk.Configuration;
using Threadline.Sdk.Diagnostics;

namespace Threadline.Sdk;

/// <summary>Starts tracing in a console application, a worker or a test.</summary>
/// <example>
/// <code>
/// using var tracing = ThreadlineTracing.Start(o =>
/// {
///     o.ServiceName = "checkout";
///     o.AddSource("MyCompany.*");
///     o.UseOtlpExporter(otlp => otlp.Endpoint = new Uri("http://collector:4317"));
/// });
/// </code>
/// In an application with a host, use <see cref="TracingServiceCollectionExtensions.AddThreadlineTracing"/> instead.
/// </example>
public static class ThreadlineTracing
{
    /// <summary>
    /// Starts tracing and returns the running session; dispose it at exit to export what is still queued.
    /// </summary>
    /// <remarks>
    /// <para>The standard OTEL_* environment variables are read first and <paramref name="configure"/> runs
    /// after, so code overrides the environment: OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES,
    /// OTEL_TRACES_SAMPLER(_ARG), OTEL_PROPAGATORS, OTEL_BSP_*, the attribute, event and link limits, and
    /// OTEL_TRACES_EXPORTER (used only when code adds no exporter; with neither, spans go over OTLP).</para>
    /// <para>The one exception is OTEL_SDK_DISABLED=true: it turns tracing off whatever the code says, so an
    /// operator can always switch it off. The returned session then does nothing.</para>
    /// <para>Invalid variable values are ignored, with an event on the "Threadline-Sdk" event source and one
    /// message each on standard error (see <see cref="SdkDiagnosticsOptions"/>); they never stop the
    /// application. Failed exports are reported the same way.</para>
    /// </remarks>
    /// <param name="configure">Sets service name, sources, sampler, exporters, ...</param>
    /// <param name="getEnvironmentVariable">Reads environment variables; <see cref="Environment.GetEnvironmentVariable(string)"/>
    /// when null. Tests pass a dictionary lookup.</param>
    public static TracingSession Start(Action<TracingOptions>? configure = null, Func<string, string?>? getEnvironmentVariable = null)
    {
        var environment = getEnvironmentVariable ?? Environment.GetEnvironmentVariable;
        var options = new TracingOptions();
        var configuration = new EnvironmentConfiguration(environment);
        if (configuration.IsSdkDisabled())
        {
            SdkEventSource.Log.TracingDisabled();
            configure?.Invoke(options);
            // The session would have owned what the code handed over; nothing else will release it.
            foreach (var processor in options.Processors) processor.Dispose();
            foreach (var exporter in options.Exporters) exporter.Instance?.Dispose();
            return TracingSession.Disabled();
        }
        configuration.Apply(options);
        configure?.Invoke(options);
        // After the code ran, which may have turned the messages off or sent them to a logger.
        var diagnostics = SdkDiagnostics.From(options.Diagnostics);
        foreach (var issue in configuration.Issues) diagnostics.ConfigurationIgnored(issue);
        return new TracingSession(options, environment, diagnostics);
    }
}
