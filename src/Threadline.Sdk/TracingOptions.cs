using System.Diagnostics;
using Threadline.Sdk.Export;
using Threadline.Sdk.Export.Otlp;
using Threadline.Sdk.Processing;
using Threadline.Sdk.Propagation;
using Threadline.Sdk.Sampling;

namespace Threadline.Sdk;

/// <summary>How a process traces: which sources, which sampler, where spans go.</summary>
/// <remarks>
/// Before your configuration code runs, the options already hold what the standard OTEL_* environment
/// variables say; whatever your code sets overrides them (see <see cref="ThreadlineTracing.Start"/>).
/// </remarks>
public sealed class TracingOptions
{
    /// <summary>The source of ASP.NET Core's incoming-request spans.</summary>
    public const string AspNetCoreSource = "Microsoft.AspNetCore";

    /// <summary>The source of HttpClient's outgoing-request spans.</summary>
    public const string HttpClientSource = "System.Net.Http";

    private readonly List<string> _sources = [];
    private readonly List<SpanProcessor> _processors = [];
    private readonly List<ExporterRegistration> _exporters = [];

    /// <summary>service.name: the logical name of this service, e.g. "checkout". Default
    /// OTEL_SERVICE_NAME, else service.name from OTEL_RESOURCE_ATTRIBUTES, else "unknown_service:&lt;executable&gt;".</summary>
    public string? ServiceName { get; set; }

    /// <summary>service.version, e.g. "2.4.1" or a commit hash.</summary>
    public string? ServiceVersion { get; set; }

    /// <summary>deployment.environment.name, e.g. "production" or "staging".</summary>
    public string? DeploymentEnvironment { get; set; }

    /// <summary>
    /// More resource attributes (values string, bool, long, double or arrays of those), added to every
    /// span's resource. Starts with OTEL_RESOURCE_ATTRIBUTES. The properties above win over the same keys here.
    /// </summary>
    public IDictionary<string, object> ResourceAttributes { get; } = new Dictionary<string, object>(StringComparer.Ordinal);

    /// <summary>The ActivitySource names traced, as added with <see cref="AddSource"/>.</summary>
    public IReadOnlyList<string> Sources => _sources;

    /// <summary>
    /// Also trace ASP.NET Core's incoming requests ("Microsoft.AspNetCore") and HttpClient's outgoing ones
    /// ("System.Net.Http"). On by default: those spans are what makes a trace cross services, and the
    /// sources cost nothing in a process that does not use them.
    /// </summary>
    public bool IncludeFrameworkSources { get; set; } = true;

    /// <summary>Decides which traces are recorded. Default ParentBased(AlwaysOn), or what OTEL_TRACES_SAMPLER says.</summary>
    public Sampler Sampler { get; set; } = new ParentBasedSampler(new AlwaysOnSampler());

    /// <summary>Caps on attributes, events and links per span. Defaults from the OTEL_*_LIMIT variables.</summary>
    public SpanLimits SpanLimits { get; set; } = new();

    /// <summary>Queue and batch settings for exporters added as <see cref="ExportMode.Batched"/>. Defaults from OTEL_BSP_*.</summary>
    public BatchExportOptions Batch { get; set; } = new();

    /// <summary>
    /// How trace context travels in headers: HttpClient and ASP.NET Core use it once
    /// <see cref="InstallPropagator"/> installs it. Default from OTEL_PROPAGATORS (tracecontext,baggage when unset).
    /// </summary>
    public TextMapPropagator Propagator { get; set; } = TextMapPropagators.Default;

    /// <summary>
    /// Make <see cref="Propagator"/> the process-wide <see cref="DistributedContextPropagator.Current"/> when
    /// tracing starts (the previous one is put back at shutdown). Default true.
    /// </summary>
    public bool InstallPropagator { get; set; } = true;

    /// <summary>
    /// What the SDK tells you unasked when spans do not arrive or a setting was ignored, and where: on by
    /// default, to the host's logger or standard error. THREADLINE_SDK_DIAGNOSTICS=off turns it off.
    /// </summary>
    public SdkDiagnosticsOptions Diagnostics { get; } = new();

    /// <summary>How long disposing the session waits for queued spans to be exported. Default 10 seconds.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    internal IReadOnlyList<SpanProcessor> Processors => _processors;

    internal IReadOnlyList<ExporterRegistration> Exporters => _exporters;

    /// <summary>Exporters named by OTEL_TRACES_EXPORTER; used only when code adds none.</summary>
    internal List<string> EnvironmentExporters { get; } = [];

    /// <summary>
    /// Traces the named ActivitySources. A name may end in or contain '*' (any characters), e.g.
    /// "MyCompany.*"; names match ignoring case.
    /// </summary>
    public TracingOptions AddSource(params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        foreach (var name in names)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name, nameof(names));
            _sources.Add(name.Trim());
        }
        return this;
    }

    /// <summary>
    /// Adds a processor that sees every recorded span at start and end (e.g. <see cref="RedactionProcessor"/>).
    /// Processors run in the order added, after the span limits and before every exporter.
    /// </summary>
    public TracingOptions AddProcessor(SpanProcessor processor)
    {
        ArgumentNullException.ThrowIfNull(processor);
        _processors.Add(processor);
        return this;
    }

    /// <summary>Sends sampled spans to <paramref name="exporter"/>; the session owns it and shuts it down.</summary>
    /// <param name="exporter">The exporter.</param>
    /// <param name="mode">Batched (a background queue, the default) or immediate (on the ending thread).</param>
    public TracingOptions AddExporter(SpanExporter exporter, ExportMode mode = ExportMode.Batched)
    {
        ArgumentNullException.ThrowIfNull(exporter);
        _exporters.Add(new ExporterRegistration(_ => exporter, mode, exporter.GetType().Name, exporter));
        return this;
    }

    /// <summary>
    /// Sends spans over OTLP, batched. The options start from the OTEL_EXPORTER_OTLP_* variables;
    /// <paramref name="configure"/> changes them (endpoint, protocol, headers, ...).
    /// </summary>
    public TracingOptions UseOtlpExporter(Action<OtlpExporterOptions>? configure = null)
    {
        _exporters.Add(new ExporterRegistration(
            environment =>
            {
                // The exporter reports what the environment held that it could not use.
                var options = OtlpExporterOptions.FromEnvironment(environment);
                configure?.Invoke(options);
                return new OtlpSpanExporter(options);
            },
            ExportMode.Batched,
            "otlp"));
        return this;
    }

    /// <summary>Prints each trace as a tree to <paramref name="writer"/> (default the console), as spans end.</summary>
    public TracingOptions UseConsoleExporter(TextWriter? writer = null)
    {
        _exporters.Add(new ExporterRegistration(_ => new ConsoleSpanExporter(writer), ExportMode.Immediate, "console"));
        return this;
    }

    /// <summary>Adds every sampled span to <paramref name="spans"/> as it ends; for tests.</summary>
    public TracingOptions UseInMemoryExporter(ICollection<Activity> spans) => UseInMemoryExporter(new InMemorySpanExporter(spans));

    /// <summary>Hands every sampled span to <paramref name="exporter"/> as it ends; for tests.</summary>
    public TracingOptions UseInMemoryExporter(InMemorySpanExporter exporter)
    {
        ArgumentNullException.ThrowIfNull(exporter);
        _exporters.Add(new ExporterRegistration(_ => exporter, ExportMode.Immediate, "memory", exporter));
        return this;
    }

    /// <param name="Create">Builds the exporter when the session starts (after the environment is known).</param>
    /// <param name="Mode">Batched or immediate.</param>
    /// <param name="Name">Shown in diagnostics.</param>
    /// <param name="Instance">The exporter the code handed over, if it did: released even when tracing is disabled.</param>
    internal sealed record ExporterRegistration(Func<Func<string, string?>, SpanExporter> Create, ExportMode Mode, string Name, SpanExporter? Instance = null);
}

/// <summary>When an exporter receives spans.</summary>
public enum ExportMode
{
    /// <summary>Queued and sent in batches from a background loop (<see cref="BatchSpanProcessor"/>): ending a span never waits.</summary>
    Batched,

    /// <summary>Sent one by one as each span ends, on the ending thread (<see cref="SimpleSpanProcessor"/>).</summary>
    Immediate,
}
