using System.Diagnostics;
using Threadline.Sdk.Diagnostics;
using Threadline.Sdk.Export;
using Threadline.Sdk.Processing;
using Threadline.Sdk.Propagation;
using Threadline.Sdk.Sampling;

namespace Threadline.Sdk;

/// <summary>
/// Tracing while it runs: listens to the configured ActivitySources, samples, applies span limits, runs
/// processors and exporters. Created by <see cref="ThreadlineTracing.Start"/> (or by the host through
/// <see cref="TracingServiceCollectionExtensions.AddThreadlineTracing"/>). Dispose it when the process
/// ends: disposing exports what is still queued.
/// </summary>
public sealed class TracingSession : IDisposable, IAsyncDisposable
{
    private readonly ActivityListener? _listener;
    private readonly SpanProcessor[] _processors;
    private readonly SpanProcessor[] _startProcessors;
    private readonly SpanLimits _limits;
    private const string AspNetCoreTelemetrySwitch = "Microsoft.AspNetCore.Hosting.SuppressActivityOpenTelemetryData";

    private readonly Sampler _sampler;
    private readonly SamplerShortcut _shortcut;
    private readonly SourceMatcher _matcher;
    private readonly List<ActivitySource> _sources = [];
    private readonly DistributedContextPropagator? _previousPropagator;
    private readonly DistributedContextPropagator? _installedPropagator;
    private readonly TimeSpan _shutdownTimeout;
    private readonly object _shutdownLock = new();
    private Task? _shutdown;
    private int _disposed;

    internal TracingSession(TracingOptions options, Func<string, string?> environment, SdkDiagnostics diagnostics)
    {
        IsEnabled = true;
        Resource = ResourceDetector.Build(options);
        _sampler = options.Sampler ?? throw new InvalidOperationException("TracingOptions.Sampler must not be null.");
        _shortcut = ShortcutFor(_sampler);
        _limits = (options.SpanLimits ?? new SpanLimits()).Clone();
        _shutdownTimeout = options.ShutdownTimeout;
        Propagator = options.Propagator ?? TextMapPropagators.Default;

        var sources = new List<string>(options.Sources);
        if (options.IncludeFrameworkSources)
        {
            sources.Add(TracingOptions.AspNetCoreSource);
            sources.Add(TracingOptions.HttpClientSource);
            // ASP.NET Core 10 leaves its server activity bare (no http.* attributes) unless this
            // switch is off; HttpClient adds its attributes already. A switch the application set
            // itself is left alone.
            if (!AppContext.TryGetSwitch(AspNetCoreTelemetrySwitch, out _)) AppContext.SetSwitch(AspNetCoreTelemetrySwitch, false);
        }
        _matcher = new SourceMatcher(sources);

        var processors = new List<SpanProcessor>(options.Processors);
        var exporterNames = new List<string>();
        foreach (var registration in SelectExporters(options))
        {
            var exporter = registration.Create(environment);
            exporter.Resource = Resource;
            exporter.AttachDiagnostics(diagnostics);
            processors.Add(registration.Mode == ExportMode.Batched
                ? new BatchSpanProcessor(exporter, options.Batch)
                : new SimpleSpanProcessor(exporter));
            exporterNames.Add(registration.Name);
        }
        _processors = [.. processors];
        // Export processors do nothing at start; skipping them saves a call per span.
        _startProcessors = [.. processors.Where(OverridesOnStart)];

        if (options.InstallPropagator)
        {
            _previousPropagator = TextMapPropagators.Install(Propagator);
            _installedPropagator = DistributedContextPropagator.Current;
        }

        _listener = new ActivityListener
        {
            ShouldListenTo = ShouldListenTo,
            Sample = Sample,
            SampleUsingParentId = SampleUsingParentId,
            // Without a processor that looks at starting spans there is nothing to do at start: the
            // attributes given at start are checked against the limits at end with all the others.
            ActivityStarted = _startProcessors.Length > 0 ? OnStarted : null,
            ActivityStopped = OnStopped,
        };
        ActivitySource.AddActivityListener(_listener);

        if (SdkEventSource.Log.IsEnabled())
        {
            SdkEventSource.Log.TracingStarted(Resource.ServiceName, _sampler.Description, string.Join(',', sources), string.Join(',', exporterNames));
        }
    }

    private TracingSession()
    {
        Resource = ServiceResource.Empty;
        _sampler = new AlwaysOffSampler();
        _processors = [];
        _startProcessors = [];
        _limits = new SpanLimits();
        _matcher = new SourceMatcher([]);
        Propagator = TextMapPropagators.Default;
        _shutdown = Task.CompletedTask;
    }

    private enum SamplerShortcut
    {
        None,
        AlwaysOn,
        AlwaysOff,
        ParentBasedAlwaysOn,
    }

    /// <summary>False when OTEL_SDK_DISABLED=true: nothing is listened to or exported.</summary>
    public bool IsEnabled { get; }

    /// <summary>The resource attached to every exported span.</summary>
    public ServiceResource Resource { get; }

    /// <summary>The sampler deciding for new spans.</summary>
    public Sampler Sampler => _sampler;

    /// <summary>The limits applied to every span (a copy taken at start).</summary>
    public SpanLimits SpanLimits => _limits.Clone();

    /// <summary>The propagator chosen at start (from OTEL_PROPAGATORS or code).</summary>
    public TextMapPropagator Propagator { get; }

    /// <summary>
    /// What incoming and outgoing HTTP calls should propagate with: the propagator this session installed
    /// as <see cref="DistributedContextPropagator.Current"/>, or the current one when it installed none.
    /// </summary>
    internal DistributedContextPropagator ContextPropagator => _installedPropagator ?? DistributedContextPropagator.Current;

    /// <summary>User processors, then one export processor per exporter, in the order they run.</summary>
    internal IReadOnlyList<SpanProcessor> Processors => _processors;

    internal static TracingSession Disabled() => new();

    /// <summary>
    /// Exports everything that has ended so far. Returns false when <paramref name="cancellationToken"/>
    /// fired before every processor finished.
    /// </summary>
    public async Task<bool> ForceFlushAsync(CancellationToken cancellationToken = default)
    {
        var flushed = true;
        foreach (var processor in _processors)
        {
            try
            {
                flushed &= await processor.ForceFlushAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return false;
            }
            catch (Exception exception)
            {
                SdkEventSource.Log.CallbackFailed(processor.GetType().Name + ".ForceFlushAsync", exception);
                flushed = false;
            }
        }
        return flushed;
    }

    /// <summary>
    /// Stops listening (spans that end afterwards are not exported), exports what is queued and shuts the
    /// processors and exporters down. Calling it again returns the first call's task.
    /// </summary>
    public Task ShutdownAsync(CancellationToken cancellationToken = default)
    {
        lock (_shutdownLock) return _shutdown ??= RunShutdownAsync(cancellationToken);
    }

    /// <summary>Shuts down, waiting at most <see cref="TracingOptions.ShutdownTimeout"/> for queued spans.</summary>
    public void Dispose()
    {
        using var timeout = new CancellationTokenSource(_shutdownTimeout);
        try
        {
            // Dispose is synchronous by contract; the shutdown path never captures a context, so waiting is safe.
            ShutdownAsync(timeout.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            // The timeout passed: what was still queued is lost, as the caller chose.
        }
        DisposeProcessors();
    }

    /// <summary>Shuts down, waiting at most <see cref="TracingOptions.ShutdownTimeout"/> for queued spans.</summary>
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(_shutdownTimeout);
        try
        {
            await ShutdownAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // See Dispose.
        }
        DisposeProcessors();
    }

    private async Task RunShutdownAsync(CancellationToken cancellationToken)
    {
        _listener?.Dispose();
        lock (_sources)
        {
            foreach (var source in _sources) SpanLimitsRegistry.Unregister(source, _limits);
            _sources.Clear();
        }
        if (_installedPropagator is not null && ReferenceEquals(DistributedContextPropagator.Current, _installedPropagator))
        {
            DistributedContextPropagator.Current = _previousPropagator!;
        }
        foreach (var processor in _processors)
        {
            try
            {
                await processor.ShutdownAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception exception)
            {
                SdkEventSource.Log.CallbackFailed(processor.GetType().Name + ".ShutdownAsync", exception);
            }
        }
    }

    private void DisposeProcessors()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        foreach (var processor in _processors) processor.Dispose();
    }

    private static IEnumerable<TracingOptions.ExporterRegistration> SelectExporters(TracingOptions options)
    {
        // Code wins over OTEL_TRACES_EXPORTER: the variable only applies when code added no exporter.
        if (options.Exporters.Count > 0) return options.Exporters;
        var names = options.EnvironmentExporters.Count > 0 ? options.EnvironmentExporters : ["otlp"];
        var fromEnvironment = new TracingOptions { InstallPropagator = false };
        foreach (var name in names)
        {
            if (name == "otlp") fromEnvironment.UseOtlpExporter();
            else if (name == "console") fromEnvironment.UseConsoleExporter();
        }
        return fromEnvironment.Exporters;
    }

    private static bool OverridesOnStart(SpanProcessor processor) =>
        processor.GetType().GetMethod(nameof(SpanProcessor.OnStart), [typeof(Activity)])?.DeclaringType != typeof(SpanProcessor);

    private static SamplerShortcut ShortcutFor(Sampler sampler) => sampler switch
    {
        AlwaysOnSampler => SamplerShortcut.AlwaysOn,
        AlwaysOffSampler => SamplerShortcut.AlwaysOff,
        ParentBasedSampler { FollowsParentWithAlwaysOnRoot: true } => SamplerShortcut.ParentBasedAlwaysOn,
        _ => SamplerShortcut.None,
    };

    private bool ShouldListenTo(ActivitySource source)
    {
        if (!_matcher.Matches(source.Name)) return false;
        if (SpanLimitsRegistry.TryRegister(source, _limits))
        {
            lock (_sources) _sources.Add(source);
        }
        return true;
    }

    private ActivitySamplingResult Sample(ref ActivityCreationOptions<ActivityContext> options) =>
        Decide(ref options, options.Parent);

    private ActivitySamplingResult SampleUsingParentId(ref ActivityCreationOptions<string> options)
    {
        // ActivitySource turns W3C parent ids into contexts itself and calls Sample; only other id formats
        // arrive here, and those carry no sampled flag, so the span is treated as a root.
        ActivityContext parent = default;
        if (options.Parent is { } parentId) ActivityContext.TryParse(parentId, options.TraceState, isRemote: true, out parent);
        return Decide(ref options, parent);
    }

    private ActivitySamplingResult Decide<TParent>(ref ActivityCreationOptions<TParent> options, in ActivityContext parent)
    {
        // Inside a suppression scope (the exporter's own calls) no span is created at all.
        if (SuppressInstrumentation.IsActive) return ActivitySamplingResult.None;

        // The built-in defaults decide without building sampling parameters: this runs for every span.
        switch (_shortcut)
        {
            case SamplerShortcut.AlwaysOn:
                return ActivitySamplingResult.AllDataAndRecorded;
            case SamplerShortcut.AlwaysOff:
                return ActivitySamplingResult.PropagationData;
            case SamplerShortcut.ParentBasedAlwaysOn:
                return parent.TraceId == default || (parent.TraceFlags & ActivityTraceFlags.Recorded) != 0
                    ? ActivitySamplingResult.AllDataAndRecorded
                    : ActivitySamplingResult.PropagationData;
        }

        SamplingResult result;
        try
        {
            result = _sampler.ShouldSample(new SamplingParameters(parent, options.TraceId, options.Name, options.Kind, options.Tags, options.Links));
        }
        catch (Exception exception)
        {
            SdkEventSource.Log.CallbackFailed(_sampler.Description, exception);
            // Dropping keeps valid ids and context flowing; recording on a broken sampler could flood the exporter.
            return ActivitySamplingResult.PropagationData;
        }

        var decision = result.Decision switch
        {
            SamplingDecision.RecordAndSample => ActivitySamplingResult.AllDataAndRecorded,
            SamplingDecision.RecordOnly => ActivitySamplingResult.AllData,
            _ => ActivitySamplingResult.PropagationData,
        };
        if (decision != ActivitySamplingResult.PropagationData && result.Attributes is { Count: > 0 } attributes)
        {
            var tags = options.SamplingTags;
            foreach (var (key, value) in attributes) tags[key] = value;
        }
        if (result.TraceState is { } traceState) options = options with { TraceState = traceState };
        return decision;
    }

    private void OnStarted(Activity activity)
    {
        if (!activity.IsAllDataRequested) return;
        // Attributes given at start (and the sampler's) are trimmed before any processor sees them.
        SpanLimitEnforcer.EnforceAttributes(activity, _limits);
        foreach (var processor in _startProcessors)
        {
            try
            {
                processor.OnStart(activity);
            }
            catch (Exception exception)
            {
                SdkEventSource.Log.CallbackFailed(processor.GetType().Name + ".OnStart", exception);
            }
        }
    }

    private void OnStopped(Activity activity)
    {
        if (!activity.IsAllDataRequested) return;
        SpanLimitEnforcer.EnforceAtEnd(activity, _limits);
        foreach (var processor in _processors)
        {
            try
            {
                processor.OnEnd(activity);
            }
            catch (Exception exception)
            {
                SdkEventSource.Log.CallbackFailed(processor.GetType().Name + ".OnEnd", exception);
            }
        }
    }
}
