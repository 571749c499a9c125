using System.Diagnostics.Tracing;

namespace Threadline.Sdk.Propagation;

/// <summary>
/// Diagnostics of context propagation, readable with <c>dotnet-trace</c>, <c>dotnet-counters</c> or an
/// <see cref="EventListener"/> under the name <c>Threadline-Sdk-Propagation</c>.
/// </summary>
[EventSource(Name = "Threadline-Sdk-Propagation")]
internal sealed class PropagationEventSource : EventSource
{
    public static readonly PropagationEventSource Log = new();

    [Event(1, Level = EventLevel.Warning,
        Message = "Unknown propagator name '{0}' was ignored. Known names: tracecontext, baggage, b3, b3multi, none (as in OTEL_PROPAGATORS).")]
    public void UnknownPropagator(string name) => WriteEvent(1, name);

    [Event(2, Level = EventLevel.Informational,
        Message = "Installed as DistributedContextPropagator.Current, propagating fields: {0}. HttpClient handlers and ASP.NET Core hosts built from now on use it.")]
    public void Installed(string fields) => WriteEvent(2, fields);

    [NonEvent]
    public void BaggageKeyNotSent(string key)
    {
        if (IsEnabled(EventLevel.Warning, EventKeywords.All)) BaggageKeyNotSentCore(key);
    }

    [Event(3, Level = EventLevel.Warning,
        Message = "Baggage entry '{0}' was not sent: a W3C baggage key must be an RFC 7230 token (letters, digits and !#$%&'*+-.^_`|~). Rename the key.")]
    private void BaggageKeyNotSentCore(string key) => WriteEvent(3, key);
}
