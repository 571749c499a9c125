using System.Diagnostics.Tracing;
using Threadline.Sdk.Processing;

namespace Threadline.Sdk.Diagnostics;

/// <summary>
/// Self-diagnostics of the SDK, published as the EventSource "Threadline-Sdk". Listen with
/// <c>dotnet-trace</c>, <c>dotnet-counters monitor Threadline-Sdk</c> or an in-process
/// <see cref="EventListener"/>. The SDK never throws into the instrumented application: what goes
/// wrong is reported here instead.
/// </summary>
/// <remarks>
/// Counters: <c>queue-length</c> (spans waiting in batch processors), <c>spans-exported</c>,
/// <c>spans-dropped</c> and <c>export-failures</c> (increments per interval).
/// </remarks>
[EventSource(Name = "Threadline-Sdk")]
internal sealed class SdkEventSource : EventSource
{
    public static readonly SdkEventSource Log = new();

    private long _spansExported;
    private long _spansDropped;
    private long _exportFailures;

    // Counters exist only while someone listens; creating them eagerly would start polling for nobody.
    private PollingCounter? _queueLengthCounter;
    private IncrementingPollingCounter? _exportedCounter;
    private IncrementingPollingCounter? _droppedCounter;
    private IncrementingPollingCounter? _failuresCounter;

    private SdkEventSource()
    {
    }

    internal long SpansExported => Volatile.Read(ref _spansExported);

    internal long SpansDroppedTotal => Volatile.Read(ref _spansDropped);

    internal long ExportFailures => Volatile.Read(ref _exportFailures);

    [NonEvent]
    public void AddExported(int count) => Interlocked.Add(ref _spansExported, count);

    [NonEvent]
    public void AddDropped(long count) => Interlocked.Add(ref _spansDropped, count);

    [NonEvent]
    public void ExportFailed(string exporter, Exception exception)
    {
        Interlocked.Increment(ref _exportFailures);
        if (IsEnabled(EventLevel.Warning, EventKeywords.All)) ExportFailedEvent(exporter, exception.GetType().FullName + ": " + exception.Message);
    }

    [NonEvent]
    public void ExportFailed(string exporter, string reason)
    {
        Interlocked.Increment(ref _exportFailures);
        if (IsEnabled(EventLevel.Warning, EventKeywords.All)) ExportFailedEvent(exporter, reason);
    }

    [NonEvent]
    public void CallbackFailed(string component, Exception exception)
    {
        if (IsEnabled(EventLevel.Error, EventKeywords.All)) CallbackFailedEvent(component, exception.ToString());
    }

    [Event(1, Level = EventLevel.Warning, Message = "Exporter {0} failed to export a batch: {1}")]
    private void ExportFailedEvent(string exporter, string reason) => WriteEvent(1, exporter, reason);

    [Event(2, Level = EventLevel.Warning, Message = "{0} dropped {1} span(s): {2}")]
    public void SpansDropped(string processor, long count, string reason) => WriteEvent(2, processor, count, reason);

    [Event(3, Level = EventLevel.Warning, Message = "Ignored {0}='{1}': {2}")]
    public void InvalidConfiguration(string setting, string value, string reason) => WriteEvent(3, setting, value, reason);

    [Event(4, Level = EventLevel.Error, Message = "{0} threw; the span continues without it: {1}")]
    private void CallbackFailedEvent(string component, string error) => WriteEvent(4, component, error);

    [Event(5, Level = EventLevel.Informational, Message = "Tracing started for service {0}: sampler {1}, sources {2}, exporters {3}")]
    public void TracingStarted(string serviceName, string sampler, string sources, string exporters) =>
        WriteEvent(5, serviceName, sampler, sources, exporters);

    [Event(6, Level = EventLevel.Informational, Message = "Span '{0}' exceeded its limits: dropped {1} attribute(s), {2} event(s), {3} link(s)")]
    public void SpanLimitsApplied(string spanName, int attributes, int events, int links) =>
        WriteEvent(6, spanName, attributes, events, links);

    [Event(7, Level = EventLevel.Informational, Message = "Tracing disabled by OTEL_SDK_DISABLED")]
    public void TracingDisabled() => WriteEvent(7);

    /// <summary>Why an OTLP export failed, or what a server rejected: the endpoint, the status and what to do.</summary>
    [Event(8, Level = EventLevel.Warning, Message = "OTLP export to {0}: {1}")]
    public void OtlpExportProblem(string endpoint, string message) => WriteEvent(8, endpoint, message);

    /// <summary>An OTLP export attempt got a retryable answer; the exporter tries again after the delay.</summary>
    [Event(9, Level = EventLevel.Informational, Message = "OTLP export to {0}: {1}")]
    public void OtlpExportRetry(string endpoint, string message) => WriteEvent(9, endpoint, message);

    protected override void OnEventCommand(EventCommandEventArgs command)
    {
        if (command.Command != EventCommand.Enable) return;
        _queueLengthCounter ??= new PollingCounter("queue-length", this, () => BatchSpanProcessor.TotalQueueLength)
        {
            DisplayName = "Spans waiting in batch processors",
        };
        _exportedCounter ??= new IncrementingPollingCounter("spans-exported", this, () => SpansExported)
        {
            DisplayName = "Spans exported",
        };
        _droppedCounter ??= new IncrementingPollingCounter("spans-dropped", this, () => SpansDroppedTotal)
        {
            DisplayName = "Spans dropped",
        };
        _failuresCounter ??= new IncrementingPollingCounter("export-failures", this, () => ExportFailures)
        {
            DisplayName = "Failed exports",
        };
    }
}
