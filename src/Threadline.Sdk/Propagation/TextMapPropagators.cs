using System.Diagnostics;

namespace Threadline.Sdk.Propagation;

/// <summary>
/// The entry point for context propagation: build propagators by name or from
/// <c>OTEL_PROPAGATORS</c>, install them for HttpClient and ASP.NET Core, and propagate by hand
/// where .NET does not (message queues, custom protocols).
/// </summary>
/// <example>
/// At start-up, before building the host or any HttpClient:
/// <code>TextMapPropagators.Install(TextMapPropagators.FromEnvironment(Environment.GetEnvironmentVariable));</code>
/// A producer puts its span's context into a message:
/// <code>TextMapPropagators.Inject(activity, message.Headers, static (h, name, value) => h[name] = value);</code>
/// </example>
public static class TextMapPropagators
{
    /// <summary>The environment variable naming the propagators, comma-separated.</summary>
    public const string EnvironmentVariable = "OTEL_PROPAGATORS";

    /// <summary>The propagators used when <c>OTEL_PROPAGATORS</c> is unset or empty.</summary>
    public const string DefaultNames = "tracecontext,baggage";

    /// <summary>W3C Trace Context followed by W3C Baggage, which is also what .NET does by default.</summary>
    public static TextMapPropagator Default { get; } = new CompositePropagator(new TraceContextPropagator(), new BaggagePropagator());

    /// <summary>
    /// The propagator installed as <see cref="DistributedContextPropagator.Current"/>, or
    /// <see cref="Default"/> when something else is installed there. <see cref="Inject{TCarrier}(Activity?, TCarrier, CarrierSetter{TCarrier})"/>
    /// and <see cref="Extract{TCarrier}"/> use it, so hand-written propagation matches HttpClient's.
    /// </summary>
    public static TextMapPropagator Current =>
        DistributedContextPropagator.Current is TextMapDistributedContextPropagator installed ? installed.Propagator : Default;

    /// <summary>
    /// Builds a propagator from names as used in <c>OTEL_PROPAGATORS</c>: <c>tracecontext</c>,
    /// <c>baggage</c>, <c>b3</c> (single header), <c>b3multi</c> and <c>none</c>.
    /// </summary>
    /// <remarks>
    /// Names are trimmed and compared case-insensitively; repeats count once; blank names are skipped;
    /// unknown names are ignored with a warning on the <c>Threadline-Sdk-Propagation</c> event
    /// source. <c>none</c> anywhere in the list, or no usable name at all, gives
    /// <see cref="NoOpPropagator"/>. Otherwise the result is a <see cref="CompositePropagator"/> in
    /// the order named.
    /// </remarks>
    public static TextMapPropagator Create(params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var propagators = new List<TextMapPropagator>(names.Length);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var raw in names)
        {
            var name = raw?.Trim();
            if (string.IsNullOrEmpty(name) || !seen.Add(name)) continue;
            switch (name.ToLowerInvariant())
            {
                case "tracecontext": propagators.Add(new TraceContextPropagator()); break;
                case "baggage": propagators.Add(new BaggagePropagator()); break;
                case "b3": propagators.Add(new B3Propagator(B3Encoding.SingleHeader)); break;
                case "b3multi": propagators.Add(new B3Propagator(B3Encoding.MultipleHeaders)); break;
                // "none" means no propagation at all, even when listed with others.
                case "none": return NoOpPropagator.Instance;
                default: PropagationEventSource.Log.UnknownPropagator(name); break;
            }
        }
        return propagators.Count == 0 ? NoOpPropagator.Instance : new CompositePropagator(propagators);
    }

    /// <summary>
    /// Builds the propagator named by <c>OTEL_PROPAGATORS</c>, read through
    /// <paramref name="getEnvironmentVariable"/> (pass <see cref="Environment.GetEnvironmentVariable(string)"/>);
    /// <c>tracecontext,baggage</c> when it is unset or blank. See <see cref="Create"/> for the names.
    /// </summary>
    public static TextMapPropagator FromEnvironment(Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        var value = getEnvironmentVariable(EnvironmentVariable);
        return Create((string.IsNullOrWhiteSpace(value) ? DefaultNames : value).Split(','));
    }

    /// <summary>
    /// Makes <paramref name="propagator"/> the process's <see cref="DistributedContextPropagator.Current"/>,
    /// which HttpClient uses to inject and ASP.NET Core to extract. Call it at start-up, before any
    /// HttpClient handler or ASP.NET Core host is built: they read the current propagator once, when built.
    /// </summary>
    /// <returns>The propagator that was current before, so that it can be put back.</returns>
    public static DistributedContextPropagator Install(TextMapPropagator propagator)
    {
        ArgumentNullException.ThrowIfNull(propagator);
        var previous = DistributedContextPropagator.Current;
        DistributedContextPropagator.Current = new TextMapDistributedContextPropagator(propagator);
        PropagationEventSource.Log.Installed(string.Join(',', propagator.Fields));
        return previous;
    }

    /// <summary>
    /// Writes the context of <paramref name="activity"/> and the baggage visible from it into
    /// <paramref name="carrier"/> with <see cref="Current"/>; nothing when the activity is null.
    /// </summary>
    public static void Inject<TCarrier>(Activity? activity, TCarrier carrier, CarrierSetter<TCarrier> setter)
    {
        ArgumentNullException.ThrowIfNull(setter);
        if (activity is null) return;
        Current.Inject(PropagationContext.FromActivity(activity), carrier, setter);
    }

    /// <summary>Writes <paramref name="context"/> into <paramref name="carrier"/> with <see cref="Current"/>.</summary>
    public static void Inject<TCarrier>(in PropagationContext context, TCarrier carrier, CarrierSetter<TCarrier> setter)
    {
        ArgumentNullException.ThrowIfNull(setter);
        Current.Inject(context, carrier, setter);
    }

    /// <summary>
    /// Reads the remote span context and baggage from <paramref name="carrier"/> with
    /// <see cref="Current"/>. Start the consumer's span with the result as parent, or, for messages
    /// that are processed apart from the request that sent them, with a link to it.
    /// </summary>
    public static PropagationContext Extract<TCarrier>(TCarrier carrier, CarrierGetter<TCarrier> getter)
    {
        ArgumentNullException.ThrowIfNull(getter);
        return Current.Extract(default, carrier, getter);
    }
}
